import "server-only";
import { randomUUID } from "node:crypto";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { recordDenial, reportNotMember } from "@/lib/data/denials";
import { can, minimumRoleOf, roleMinimumLabel, type Permission } from "@/lib/authz";
import { getCurrentUser, getViewer, type CurrentUser, type Viewer } from "@/lib/auth/viewer";
import { logger } from "@/lib/logger";
import { ForbiddenError, UserError, type ActionResult } from "@/lib/result";
import { invalidInputResult, pathKey } from "@/lib/validation/field-errors";
import { findInputProblem, UNSTORABLE_MESSAGE } from "@/lib/validation/primitives";

/**
 * The only way to build a server action. An exported action is a public POST endpoint, so each one is made here:
 * the input is parsed by its zod schema (the same one the form uses), the caller is authenticated and, for workspace
 * actions, their membership and role are resolved from the database and checked against the authorization module,
 * before the body runs. A workspace the caller does not belong to answers exactly like a missing one.
 *
 * Before the schema, the raw input is walked once (bounded in depth and size): a string anywhere in it holding NUL
 * or another control character PostgreSQL can't store is refused as invalid_input, so no action can fail in the
 * database on such input.
 *
 * Refusals are audited (lib/data/denials.ts): a role too low for the action, here or in the body (a
 * ForbiddenError from the data layer), is recorded in that workspace under the action's name; a workspace the
 * caller is not in is recorded in it, in the background, so the answer stays that of a missing slug.
 *
 * Expected failures come back as { ok: false, error, fieldErrors? }, field errors keyed by their full dotted path
 * (`run.params.prompt`; lib/validation/field-errors.ts). Anything else is logged with a reference and
 * reported as a generic message; redirect() and notFound() pass through.
 */

type Schema = z.ZodType<Record<string, unknown>>;

function toObject(raw: unknown): unknown {
  if (raw instanceof FormData) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of raw.entries()) {
      if (key.startsWith("$ACTION")) continue;
      out[key] = value;
    }
    return out;
  }
  return raw ?? {};
}

/** The refusal of an input that must not reach the schema (or the database), or null. */
function refuseInput(input: unknown): ActionResult<never> | null {
  const problem = findInputProblem(input);
  if (!problem) return null;
  if (problem.kind !== "characters") {
    return { ok: false, code: "invalid_input", error: problem.kind === "depth" ? "The input is nested too deeply." : "The input is too large." };
  }
  const field = problem.path[0];
  // Reported under the top-level field the sentence names and, when the string sits deeper (a run's prompt), under
  // its exact path too, so a form that edits nested values shows the message under the input itself.
  const message = [`This ${UNSTORABLE_MESSAGE}.`];
  const exact = pathKey(problem.path);
  return {
    ok: false,
    code: "invalid_input",
    error: `${typeof field === "string" ? `“${field}”` : "The input"} ${UNSTORABLE_MESSAGE}. Remove them and try again.`,
    ...(typeof field === "string" ? { fieldErrors: { [field]: message, ...(exact !== field ? { [exact]: message } : {}) } } : {}),
  };
}

function parse<S extends Schema>(schema: S, raw: unknown): { ok: true; data: z.infer<S> } | { ok: false; result: ActionResult<never> } {
  const input = toObject(raw);
  const refused = refuseInput(input);
  if (refused) return { ok: false, result: refused };
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, result: invalidInputResult(parsed.error) };
}

async function run<T>(name: string, body: () => Promise<ActionResult<T>>): Promise<ActionResult<T>> {
  try {
    return await body();
  } catch (error) {
    unstable_rethrow(error);
    if (error instanceof UserError) {
      return { ok: false, error: error.message, code: error.code, ...(error.fieldErrors ? { fieldErrors: error.fieldErrors } : {}) };
    }
    const ref = randomUUID().slice(0, 8);
    logger.error("action failed", { action: name, ref, error });
    return { ok: false, error: `Something went wrong on our side. Please try again (reference ${ref}).` };
  }
}

/** An action anyone may call (sign-in, sign-up). */
export function publicAction<S extends Schema, T>(name: string, schema: S, handler: (args: { input: z.infer<S> }) => Promise<ActionResult<T>>) {
  return async (raw: unknown): Promise<ActionResult<T>> =>
    run(name, async () => {
      const parsed = parse(schema, raw);
      if (!parsed.ok) return parsed.result;
      return handler({ input: parsed.data });
    });
}

const signedOut: ActionResult<never> = { ok: false, code: "unauthenticated", error: "Your session has ended. Sign in again." };

/** An action for any signed-in user, outside a workspace (create a workspace, accept an invitation). */
export function userAction<S extends Schema, T>(
  name: string,
  schema: S,
  handler: (args: { input: z.infer<S>; user: CurrentUser }) => Promise<ActionResult<T>>,
) {
  return async (raw: unknown): Promise<ActionResult<T>> =>
    run(name, async () => {
      const user = await getCurrentUser();
      if (!user) return signedOut;
      const parsed = parse(schema, raw);
      if (!parsed.ok) return parsed.result;
      return handler({ input: parsed.data, user });
    });
}

/** An action inside a workspace: the schema must carry `workspace` (its slug); the permission is checked first. */
export function workspaceAction<S extends z.ZodType<{ workspace: string } & Record<string, unknown>>, T>(
  name: string,
  schema: S,
  permission: Permission,
  handler: (args: { input: z.infer<S>; viewer: Viewer }) => Promise<ActionResult<T>>,
) {
  return async (raw: unknown): Promise<ActionResult<T>> =>
    run(name, async () => {
      const user = await getCurrentUser();
      if (!user) return signedOut;
      const parsed = parse(schema, raw);
      if (!parsed.ok) return parsed.result;
      const viewer = await getViewer(parsed.data.workspace);
      if (!viewer) {
        reportNotMember(user.id, parsed.data.workspace, name);
        return { ok: false, code: "not_found", error: "That workspace was not found." };
      }
      if (!can(viewer.role, permission)) {
        await recordDenial({
          kind: "forbidden",
          workspaceId: viewer.workspaceId,
          actorId: viewer.userId,
          what: name,
          details: { role: viewer.role, needs: minimumRoleOf(permission) },
        });
        return {
          ok: false,
          code: "forbidden",
          error: `You need to be at least ${/^[aeiou]/.test(roleMinimumLabel(permission)) ? "an" : "a"} ${roleMinimumLabel(permission)} in ${viewer.workspaceName} to do this.`,
        };
      }
      try {
        return await handler({ input: parsed.data, viewer });
      } catch (error) {
        // A finer check in the data layer (removing an owner, inviting with a role one can't grant).
        if (error instanceof ForbiddenError) {
          await recordDenial({ kind: "forbidden", workspaceId: viewer.workspaceId, actorId: viewer.userId, what: name, details: { role: viewer.role, reason: error.message } });
        }
        throw error;
      }
    });
}
