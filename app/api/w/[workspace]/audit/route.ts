import { requirePermission } from "@/lib/authz";
import { listAuditEvents } from "@/lib/data/audit";
import { withViewer } from "@/lib/media/api";
import { jsonError, ok } from "@/lib/media/http";
import { parseAuditQuery } from "@/lib/validation/audit";

// GET /api/w/<slug>/audit?action=&member=&from=&to=&cursor=<opaque> → AuditPageDTO (admins and owners; 403 otherwise).
// A filter that can't be read is 422 with a sentence; a cursor that can't be read starts from the top.
export async function GET(request: Request, { params }: { params: Promise<{ workspace: string }> }) {
  return withViewer(request, await params, async (viewer) => {
    requirePermission(viewer, "audit:read");
    const url = new URL(request.url);
    const parsed = parseAuditQuery(url.searchParams);
    if (!parsed.success) return jsonError(422, parsed.error.issues[0]?.message ?? "Those filters can't be read.");
    return ok(await listAuditEvents(viewer, parsed.data, url.searchParams.get("cursor")));
  });
}

export const dynamic = "force-dynamic";
