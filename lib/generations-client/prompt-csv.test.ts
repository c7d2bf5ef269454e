import { describe, expect, it } from "vitest";
import { parseCsv, promptsFromCsv } from "@/lib/generations-client/prompt-csv";

describe("prompts from a CSV file", () => {
  it("reads the prompt column by its header, in any case, skipping empty cells", () => {
    const csv = "id,Prompt,notes\r\n1,A lighthouse at dusk,x\r\n2,,empty\r\n3,  A harbour  ,y\n";
    expect(promptsFromCsv(csv)).toEqual({ ok: true, prompts: ["A lighthouse at dusk", "A harbour"] });
  });

  it("keeps quoted commas, line breaks (made spaces) and doubled quotes inside one prompt", () => {
    const csv = '\uFEFFprompt\n"A cliff, in fog"\n"Two lines\nof text"\n"The ""old"" mill"';
    expect(promptsFromCsv(csv)).toEqual({ ok: true, prompts: ["A cliff, in fog", "Two lines of text", 'The "old" mill'] });
    expect(parseCsv('a,"b,c"\n')).toEqual([["a", "b,c"]]);
  });

  it("says what is wrong with a file it cannot use", () => {
    expect(promptsFromCsv("text\nA lighthouse")).toEqual({ ok: false, error: "The file has no “prompt” column: its first row must name one." });
    expect(promptsFromCsv("prompt\n\n,\n")).toEqual({ ok: false, error: "The “prompt” column is empty." });
    expect(promptsFromCsv("")).toMatchObject({ ok: false });
  });
});
