import "server-only";
import { recordDenial, reportNotMember } from "@/lib/audit/denials";
import { getCurrentUser, getViewer, type Viewer } from "@/lib/auth/viewer";
import { logger } from "@/lib/logger";
import { jsonError } from "@/lib/media/http";
import { ForbiddenError, NotFoundError, UserError } from "@/lib/result";

/**
 * The wrapper of every workspace API route handler: resolves the viewer from the session and the slug (a non-member
 * gets the same 404 as a missing workspace), and turns errors into `{ error }` with a status: UserErrors keep their
 * sentence, anything else is logged with a reference and answered 500 without details. Refusals are audited under
 * the route's name (`route`): a role too low (403) in that workspace, a signed-in non-member (404) in the workspace
 * of the slug, in the background so the answer is that of a missing slug.
 */
const statusOf: Record<string, number> = { invalid_input: 422, forbidden: 403, not_found: 404, conflict: 409, rate_limited: 429, unauthenticated: 401 };

export async function withViewer(slug: string, body: (viewer: Viewer) => Promise<Response>, route = "an API route"): Promise<Response> {
  let viewer: Viewer | null = null;
  try {
    viewer = await getViewer(slug);
    if (!viewer) {
      const user = await getCurrentUser();
      if (user) reportNotMember(user.id, slug, route);
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
