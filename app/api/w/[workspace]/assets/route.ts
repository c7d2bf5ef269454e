import { requirePermission } from "@/lib/authz";
import { createAsset } from "@/lib/generations/assets";
import { listAssets } from "@/lib/data/assets";
import { withViewer } from "@/lib/media/api";
import { jsonError, ok } from "@/lib/media/http";
import { receiveUpload } from "@/lib/media/receive-upload";
import { closingUnlessRead } from "@/lib/media/request-body";
import { limitMessage, parseLimit } from "@/lib/validation/primitives";

const KINDS = new Set(["IMAGE", "VIDEO", "AUDIO"]);

// GET /api/w/<slug>/assets?kind=IMAGE&limit=50 → AssetDTO[]; an unknown kind lists every kind; limit 1–200.
export async function GET(request: Request, { params }: { params: Promise<{ workspace: string }> }) {
  return withViewer(request, await params, async (viewer) => {
    const url = new URL(request.url);
    const kind = url.searchParams.get("kind")?.toUpperCase();
    const limit = parseLimit(url.searchParams.get("limit"), { fallback: 50, max: 200 });
    if (limit === null) return jsonError(400, limitMessage(200));
    return ok(await listAssets(viewer, { kind: kind && KINDS.has(kind) ? (kind as "IMAGE") : undefined, limit }));
  });
}

// POST /api/w/<slug>/assets (multipart, field "file") → 201 and the new AssetDTO (`existing: false`), or 200 and the
// workspace's asset with the same bytes (`existing: true`: nothing new was stored); 413 / 415 / 422 with a sentence.
// The caller is authorized before a byte of the body is read; the file is checked and capped while it streams in
// (lib/media/receive-upload.ts), and an answer given before the body's end closes the connection.
export async function POST(request: Request, { params }: { params: Promise<{ workspace: string }> }) {
  const response = await withViewer(request, await params, async (viewer) => {
    requirePermission(viewer, "generation:create");
    const asset = await receiveUpload(request, (file) => createAsset(viewer, file));
    return Response.json(asset, { status: asset.existing ? 200 : 201 });
  });
  return closingUnlessRead(request, response);
}

export const dynamic = "force-dynamic";
