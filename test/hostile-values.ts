import fc from "fast-check";

/**
 * Hostile values for URL parameters, for the property tests that check every route handler and page answers them
 * with something other than a 500 (lib/media/api.test.ts calls the handlers; e2e/hostile-input.spec.ts goes through
 * HTTP). Generic junk is mixed with values shaped like what each parameter expects, because a value must get past
 * the first checks (a cursor that decodes, a day that is well formed) to reach the code that used to fail.
 */

const b64 = (text: string) => Buffer.from(text).toString("base64url");

/** Anything: unicode, control characters, %-encodings, huge and negative numbers, long strings, injections. */
export const junk: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: fc.constantFrom("\u0000", "\u0001", "\u001f", "%", "0", "f", "/", ".", "-", " ", "\n", "é", "🎨"), maxLength: 20 }),
  fc.constantFrom("", "\u0000", "%00", "%ff", "%", "0000-01-01", "9999-12-31", "10000-01-01", "-1", "1e400", "NaN", "Infinity", "9223372036854775808", "../..", "' OR 1=1 --", "<script>alert(1)</script>", "A".repeat(3000)),
  fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }).map(String),
  fc.double().map(String),
  fc.base64String({ maxLength: 120 }),
);

/** Cursors as the gallery, the asset library and the audit log write them (`<ms>.<id>`, base64url), from anywhere. */
export const cursorish: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(
      { arbitrary: fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }), weight: 4 },
      { arbitrary: fc.bigInt({ min: 253_402_300_799_000n, max: 253_402_300_801_000n }), weight: 1 }, // around 9999-12-31
      { arbitrary: fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), weight: 1 },
    ),
    fc.oneof(
      { arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), weight: 2 },
      { arbitrary: fc.bigInt({ min: 9_223_372_036_854_775_000n, max: 10n ** 19n - 1n }).map(String), weight: 3 }, // around int8's max
      { arbitrary: fc.bigInt({ min: 0n, max: 10n ** 19n - 1n }).map(String), weight: 1 },
      { arbitrary: fc.string({ maxLength: 70 }), weight: 1 },
    ),
  )
  .map(([ms, id]) => b64(`${ms}.${id}`));

/** Days: well-formed YYYY-MM-DD from year 0 to 9999 (the edges often), with months and days a little out of range. */
export const dayish: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(fc.constantFrom(0, 1, 1969, 1999, 2000, 9999), fc.integer({ min: 0, max: 9999 })),
    fc.oneof(fc.constantFrom(1, 12), fc.integer({ min: 0, max: 13 })),
    fc.oneof(fc.constantFrom(1, 31), fc.integer({ min: 0, max: 32 })),
  )
  .map(([y, m, d]) => `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`);

/** Numbers as text: small, huge, negative, fractional, exponents. */
export const numberish: fc.Arbitrary<string> = fc.oneof(fc.integer().map(String), fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String), fc.double().map(String));

/** Ids: the id pattern's characters, and a little beyond (too long, one odd character). */
export const idish: fc.Arbitrary<string> = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), fc.stringMatching(/^[A-Za-z0-9_-]{65,80}$/), fc.string({ maxLength: 64 }));

/** A hostile value for the parameter with this name: shaped like what it expects half of the time. */
export function hostileFor(name: string): fc.Arbitrary<string> {
  const shaped: Record<string, fc.Arbitrary<string>> = {
    cursor: cursorish,
    from: dayish,
    to: dayish,
    limit: numberish,
    member: idish,
    board: idish,
    mediaId: idish,
    assetId: idish,
    reuse: idish,
    input: idish,
    token: idish,
    range: numberish,
  };
  return shaped[name] ? fc.oneof({ arbitrary: shaped[name], weight: 3 }, { arbitrary: junk, weight: 1 }) : junk;
}

/**
 * Requests to one route: for each parameter in turn, that parameter hostile and the others absent (a single fault
 * gets furthest past the checks), `runsPerParameter` times; then `allHostileRuns` requests with every parameter
 * hostile at once. Path parameters are always present (`abc`, or `thumb` for a variant, when not the one tested).
 */
export function hostileRequests(
  pathNames: string[],
  queryNames: string[],
  { runsPerParameter, allHostileRuns, seed }: { runsPerParameter: number; allHostileRuns: number; seed: number },
): { path: Record<string, string>; query: Record<string, string> }[] {
  const safe: Record<string, string> = Object.fromEntries(pathNames.map((name) => [name, name === "variant" ? "thumb" : "abc"]));
  const out: { path: Record<string, string>; query: Record<string, string> }[] = [];
  [...pathNames, ...queryNames].forEach((name, index) => {
    for (const value of fc.sample(hostileFor(name), { seed: seed + index, numRuns: runsPerParameter })) {
      out.push(pathNames.includes(name) ? { path: { ...safe, [name]: value }, query: {} } : { path: safe, query: { [name]: value } });
    }
  });
  const every = fc.record({
    path: fc.record(Object.fromEntries(pathNames.map((name) => [name, hostileFor(name)]))),
    query: fc.record(Object.fromEntries(queryNames.map((name) => [name, hostileFor(name)]))),
  });
  if (pathNames.length + queryNames.length > 0) out.push(...fc.sample(every, { seed: seed - 1, numRuns: allHostileRuns }));
  return out;
}
