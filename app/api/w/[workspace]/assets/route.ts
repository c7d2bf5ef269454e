import { createAsset, listAssets } from "@/lib/generations/service";
import { MAX_UPLOAD_BYTES } from "@/lib/media/upload";
import { withViewer } from "@/lib/media/api";
import { jsonError, ok } from "@/lib/media/http";

const KINDS = new Set(["IMAGE", "VIDEO", "AUDIO"]);

// GET /api/w/<slug>/assets?kind=IMAGE&limit=50 → AssetDTO[]
export async function GET(request: Request, { params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  return withViewer(workspace, async (viewer) => {
    const url = new URL(request.url);
    const kind = url.searchParams.get("kind")?.toUpperCase();
    const limit = Number(url.searchParams.get("limit") ?? "50") || 50;
    return ok(await listAssets(viewer, { kind: kind && KINDS.has(kind) ? (kind as "IMAGE") : undefined, limit }));
  }, "GET /api/w/:workspace/assets");
}

// POST /api/w/<slug>/assets (multipart, field "file") → AssetDTO; 413 / 415 / 422 with a sentence saying why.
export async function POST(request: Request, { params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await params;
  return withViewer(workspace, async (viewer) => {
    const declared = Number(request.headers.get("content-length") ?? "0");
    if (declared > MAX_UPLOAD_BYTES + 1024 * 1024) return jsonError(413, "Files can be at most 200 MB.");
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      return jsonError(400, "Send the file as multipart/form-data in a field named \"file\".");
    }
    const file = form.get("file");
    if (!(file instanceof File)) return jsonError(400, "Send the file as multipart/form-data in a field named \"file\".");
    return Response.json(await createAsset(viewer, file), { status: 201 });
  }, "POST /api/w/:workspace/assets");
}

export const dynamic = "force-dynamic";
