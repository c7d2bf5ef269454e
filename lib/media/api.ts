import "server-only";
import { recordDenial, reportNotMember } from "@/lib/data/denials";
import { getCurrentUser, getViewer, type Viewer } from "@/lib/auth/viewer";
import { logger } from "@/lib/logger";
import { SAFE_METHODS, isSameOrigin } from "@/lib/http/same-origin";
import { jsonError } from "@/lib/media/http";
import { ForbiddenError, NotFoundError, UserError } from "@/lib/result";
import { hasUnstorableCharacters, isWorkspaceSlug } from "@/lib/validation/primitives";

/**
 * The wrapper of every workspace API route handler. In order, before anything reads the body or the database:
 * - the address: a path parameter or a query string name or value holding NUL or another control character is
 *   refused (400), since PostgreSQL cannot store or compare it (addressProblem);
 * - a request that changes something must come from Atelier's own pages (lib/http/same-origin.ts), as Next
 *   requires of server actions: a page on another site cannot upload, delete or download with a member's cookies;
 * - the workspace: a slug that cannot be one is 404 without a query; otherwise the viewer is resolved from the
 *   session and the slug, and a non-member gets the same 404 as a missing workspace;
 * - errors become `{ error }` with a status: UserErrors keep their sentence, anything else is logged with a reference
 *   and answered 500 without details. Input never gets that far: each handler validates its parameters first.
 * Refusals are audited under the route's name ("POST /api/w/:workspace/assets"): a role too low (403) in that
 * workspace, a signed-in non-member (404) in the workspace of the slug, in the background so the answer is that of
 * a missing slug.
 */
const statusOf: Record<string, number> = { invalid_input: 422, forbidden: 403, not_found: 404, conflict: 409, rate_limited: 429, unauthenticated: 401 };

export type RouteParams = { workspace: string } & Record<string, string | string[] | undefined>;

/** A sentence saying what is wrong with the request's address, or null when its parameters can be used. */
export function addressProblem(request: Request, params: Record<string, string | string[] | undefined>): string | null {
  const values = Object.values(params).flatMap((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]));
  const query = new URL(request.url).searchParams;
  for (const [name, value] of query) values.push(name, value);
  return values.some(hasUnstorableCharacters) ? "The address contains characters that can't be stored (control characters such as NUL)." : null;
}

/** "GET /api/w/:workspace/media/:mediaId/detail": the route's pattern, rebuilt from its path and parameters. */
export function routeName(request: Request, params: Record<string, string | string[] | undefined>): string {
  const segments = new URL(request.url).pathname.split("/").map((segment) => {
    let decoded = segment;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return segment;
    }
    const name = Object.entries(params).find(([, value]) => value === decoded)?.[0];
    return name ? `:${name}` : segment;
  });
  return `${request.method} ${segments.join("/")}`;
}

export async function withViewer(request: Request, params: RouteParams, body: (viewer: Viewer) => Promise<Response>): Promise<Response> {
  const route = routeName(request, params);
  let viewer: Viewer | null = null;
  try {
    const problem = addressProblem(request, params);
    if (problem) return jsonError(400, problem);
    if (!SAFE_METHODS.has(request.method) && !isSameOrigin(request.headers, request.url)) return jsonError(403, "This request must come from Atelier's own pages.");
    if (!isWorkspaceSlug(params.workspace)) return jsonError(404, "Not found.");
    viewer = await getViewer(params.workspace);
    if (!viewer) {
      const user = await getCurrentUser();
      if (user) reportNotMember(user.id, params.workspace, route);
      return jsonError(404, "Not found.");
    }
    return await body(viewer);
  } catch (error) {
    if (error instanceof NotFoundError) return jsonError(404, error.message);
    if (error instanceof ForbiddenError) {
      if (viewer) await recordDenial({ kind: "forbidden", workspaceId: viewer.workspaceId, actorId: viewer.userId, what: route, details: { role: viewer.role, reason: error.message } });
      return jsonError(403, error.message);
    }
    if (error instanceof UserError) {
      const status = (error as UserError & { status?: number }).status ?? statusOf[error.code] ?? 400;
      return jsonError(status, error.message);
    }
    const reference = crypto.randomUUID().slice(0, 8);
    logger.error("api: unexpected error", { reference, error });
    return jsonError(500, `Something went wrong (reference ${reference}).`);
  }
}
