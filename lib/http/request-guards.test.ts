import { describe, expect, it } from "vitest";
import { checkActionBody, checkPath, jsonDepth } from "@/lib/http/request-guards.mjs";

describe("request guards (the server front)", () => {
  it.each(["/w/%ff/gallery", "/w/%E0%A4%A/x", "/a\u0000b", "/a\nb"])("refuses the path %j", (target) => {
    expect(checkPath(target)).toMatch(/not valid|can't be stored/);
  });

  it.each(["/", "/w/acme/gallery?q=caf%C3%A9&x=%ff", "/w/acme/gallery?model=%00", "/w/%00/gallery", "/w/caf%C3%A9", "/_next/static/chunks/a.js"])("lets %j through", (target) => {
    expect(checkPath(target)).toBeNull();
  });

  it("measures JSON depth without being fooled by brackets in strings", () => {
    expect(jsonDepth('[{"a":[1,2]}]')).toBe(3);
    expect(jsonDepth('["[[[[[[", "\\"[["]')).toBe(1);
    expect(jsonDepth('["open')).toBe(Infinity);
  });

  it("accepts what React sends and refuses the rest", () => {
    const text = "text/plain;charset=UTF-8";
    expect(checkActionBody(text, Buffer.from('[{"workspace":"acme","name":"Mood"}]'))).toBeNull();
    expect(checkActionBody(text, Buffer.from("not json"))).toMatch(/list of arguments/);
    expect(checkActionBody(text, Buffer.from("[1,"))).toMatch(/not valid JSON/);
    expect(checkActionBody(text, Buffer.from("[".repeat(5000) + "]".repeat(5000)))).toMatch(/deeper than 64/);
    expect(checkActionBody(text, Buffer.from([0x5b, 0xff, 0x5d]))).toMatch(/UTF-8/);
    const boundary = "----x";
    const form = (value: string) =>
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="0"\r\n\r\n${value}\r\n--${boundary}--\r\n`);
    const multipart = `multipart/form-data; boundary=${boundary}`;
    expect(checkActionBody(multipart, form('[{"a":1}]'))).toBeNull();
    expect(checkActionBody(multipart, form("[".repeat(100) + "]".repeat(100)))).toMatch(/deeper/);
    expect(checkActionBody("multipart/form-data", form("x"))).toMatch(/form data/);
  });
});
