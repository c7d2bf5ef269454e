/**
 * The one shape every server action returns. Expected failures are values ({ ok: false }); unexpected ones are
 * thrown, logged with a reference, and shown as a generic message. Only a UserError's text reaches a browser.
 */
export type FieldErrors = Record<string, string[] | undefined>;

export type ActionResult<T = null> =
  | { ok: true; data: T }
  | { ok: false; error: string; fieldErrors?: FieldErrors; code?: ErrorCode };

export type ErrorCode = "invalid_input" | "forbidden" | "not_found" | "conflict" | "rate_limited" | "unauthenticated";

/** An expected failure whose message is written for the user and safe to show. */
export class UserError extends Error {
  constructor(
    message: string,
    public readonly code: ErrorCode = "invalid_input",
    public readonly fieldErrors?: FieldErrors,
  ) {
    super(message);
    this.name = "UserError";
  }
}

export class NotFoundError extends UserError {
  constructor(what = "That item") {
    super(`${what} was not found.`, "not_found");
    this.name = "NotFoundError";
  }
}

export class ForbiddenError extends UserError {
  constructor(message = "You don't have permission to do that.") {
    super(message, "forbidden");
    this.name = "ForbiddenError";
  }
}

export const ok = <T>(data: T): ActionResult<T> => ({ ok: true, data });
export const fail = (error: string, extra?: { fieldErrors?: FieldErrors; code?: ErrorCode }): ActionResult<never> => ({
  ok: false,
  error,
  ...extra,
});
