import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { slugify } from "@/lib/data/workspaces";
import {
  checkDay,
  findInputProblem,
  hasUnstorableCharacters,
  INPUT_MAX_DEPTH,
  INPUT_MAX_VALUES,
  INT8_MAX,
  isId,
  isWorkspaceSlug,
  MAX_INSTANT_MS,
  parseLimit,
} from "@/lib/validation/primitives";

describe("ids and slugs", () => {
  it("takes the ids Atelier makes and nothing that could carry another meaning", () => {
    for (const id of ["cmb1x2y3z0000abcd1234efgh", "3f2b9c0d4e5f60718293a4b5c6d7e8f9", "a", "A_b-9"]) expect(isId(id)).toBe(true);
    for (const id of ["", "a".repeat(65), "a b", "a\u0000", "../x", "%00", "é", "x.png", null, 7]) expect(isId(id)).toBe(false);
  });

  it("takes every slug slugify() can make, and refuses what it can't make", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 60 }), (name) => {
        expect(isWorkspaceSlug(slugify(name))).toBe(true);
        expect(isWorkspaceSlug(`${slugify(name)}-12`)).toBe(true); // the suffix of a taken slug
      }),
      { seed: 20_260_301, numRuns: 300 },
    );
    for (const slug of ["", "Acme", "acme-", "-acme", "acme--x", "acme x", "acme\u0000", "%00", "a".repeat(65), "ａcme"]) expect(isWorkspaceSlug(slug)).toBe(false);
  });
});

describe("text PostgreSQL can store", () => {
  it("refuses NUL and the other C0 controls, keeps tab, line feed and carriage return", () => {
    for (const code of [0, 1, 7, 8, 11, 12, 14, 27, 31]) expect(hasUnstorableCharacters(`a${String.fromCharCode(code)}b`)).toBe(true);
    for (const text of ["a\tb", "line\nline", "crlf\r\n", "emoji 🎨 and é", "\u007f", ""]) expect(hasUnstorableCharacters(text)).toBe(false);
  });

  it("finds the first problem in a raw input, with the path to it", () => {
    expect(findInputProblem({ workspace: "acme", run: { params: { prompt: "a\u0000b" } } })).toEqual({ kind: "characters", path: ["run", "params", "prompt"] });
    expect(findInputProblem({ ids: ["ok", "no\u0001"] })).toEqual({ kind: "characters", path: ["ids", 1] });
    expect(findInputProblem({ ["key\u0000"]: 1 })).toEqual({ kind: "characters", path: [] });
    expect(findInputProblem(["fine", { deep: ["still fine\n"] }, 3, null, true])).toBeNull();
    // Values that are not plain data are not looked into (a File's bytes are not text).
    expect(findInputProblem({ file: new File(["\u0000"], "x.bin"), when: new Date(0) })).toBeNull();
  });

  it("bounds the walk: too deep and too many values are problems of their own, found without recursion", () => {
    let deep: unknown = "leaf";
    for (let i = 0; i <= INPUT_MAX_DEPTH; i++) deep = { next: deep };
    expect(findInputProblem(deep)).toEqual({ kind: "depth" });
    let veryDeep: unknown = [];
    for (let i = 0; i < 100_000; i++) veryDeep = [veryDeep];
    expect(findInputProblem(veryDeep)).toEqual({ kind: "depth" });
    expect(findInputProblem(new Array(INPUT_MAX_VALUES + 1).fill("x"))).toEqual({ kind: "size" });
  });

  it("never throws, whatever the input", () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 6 }), (value) => {
        const problem = findInputProblem(value);
        expect(problem === null || ["characters", "depth", "size"].includes(problem.kind)).toBe(true);
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});

describe("days, instants and limits", () => {
  it("reads real days from 2000 to 9999, telling a malformed day from one out of range", () => {
    expect([checkDay("2000-01-01"), checkDay("9999-12-31"), checkDay("2024-02-29")]).toEqual(["ok", "ok", "ok"]);
    expect([checkDay("0000-01-01"), checkDay("1999-12-31"), checkDay("1970-01-01")]).toEqual(["range", "range", "range"]);
    expect([checkDay("2023-02-29"), checkDay("2024-13-01"), checkDay("+10000-01-01"), checkDay("10000-01-01"), checkDay("2024-1-1"), checkDay("")]).toEqual([
      "format",
      "format",
      "format",
      "format",
      "format",
      "format",
    ]);
  });

  it("has bounds PostgreSQL can hold", () => {
    expect(new Date(MAX_INSTANT_MS).toISOString()).toBe("9999-12-31T23:59:59.999Z");
    expect(INT8_MAX).toBe(2n ** 63n - 1n);
  });

  it("clamps a whole-number limit and refuses anything else", () => {
    const options = { fallback: 20, max: 100 };
    expect([parseLimit(null, options), parseLimit("", options), parseLimit("5", options), parseLimit("0", options), parseLimit("100000", options)]).toEqual([20, 20, 5, 1, 100]);
    for (const raw of ["-5", "1e400", "1.5", "abc", "9999999", " 5", "0x10"]) expect(parseLimit(raw, options)).toBeNull();
  });
});
