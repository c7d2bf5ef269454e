import { describe, expect, it } from "vitest";
import { plural, pluralWord } from "@/lib/validation/text";

describe("plural", () => {
  it("uses the singular for exactly one and the plural for every other count", () => {
    expect(plural(1, "item")).toBe("1 item");
    expect(plural(0, "item")).toBe("0 items");
    expect(plural(2, "item")).toBe("2 items");
    expect(plural(1.5, "second")).toBe("1.5 seconds");
  });

  it("groups thousands like the rest of the UI", () => {
    expect(plural(1024, "credit")).toBe("1,024 credits");
  });

  it("takes an irregular plural", () => {
    expect(plural(1, "person has", "people have")).toBe("1 person has");
    expect(plural(3, "person has", "people have")).toBe("3 people have");
  });

  it("gives the word alone for a count shown elsewhere", () => {
    expect(pluralWord(1, "credit")).toBe("credit");
    expect(pluralWord(7, "credit")).toBe("credits");
  });
});
