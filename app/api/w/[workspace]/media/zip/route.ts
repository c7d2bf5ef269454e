import { downloadZip, predictLength } from "client-zip";
import { z } from "zod";
import { uniqueNames } from "@/lib/gallery/filenames";
import { withViewer } from "@/lib/media/api";
import { mediaFilesForZip } from "@/lib/media/files";
import { contentDisposition, jsonError } from "@/lib/media/http";
import { closingUnlessRead, readBody } from "@/lib/media/request-body";
import { storage } from "@/lib/storage/storage";
import { BULK_MAX } from "@/lib/validation/gallery";
import { ID_PATTERN } from "@/lib/validation/primitives";

const idsSchema = z
  .array(z.string().regex(ID_PATTERN, "That item id is not valid."))
  .min(1, "Choose at least one item to download.")
  .max(BULK_MAX, `Download at most ${BULK_MAX} items at a time.`);

/** The form: at most BULK_MAX ids of 64 characters, comma-separated and URL-encoded, fit in 64 KB with room to spare. */
const FORM_MAX_BYTES = 64 * 1024;

/** The posted form, read with its cap; null when it is not a form (urlencoded or multipart) that can be parsed. */
async function readIdsForm(request: Request): Promise<FormData | null> {
  const body = await readBody(request, FORM_MAX_BYTES, "That download request is too large: download at most 500 items at a time.");
  const type = request.headers.get("content-type") ?? "";
  return new Response(body, { headers: { "content-type": type } }).formData().catch(() => null);
}

// POST /api/w/<slug>/media/zip (form field `ids`, repeated or comma-separated) → a zip of the originals, streamed
// file by file (never held in memory), with a Content-Length so the browser shows progress. The form is read only
// after the viewer and the origin are checked, and at most 64 KB of it.
export async function POST(request: Request, { params }: { params: Promise<{ workspace: string }> }) {
  const response = await withViewer(request, await params, async (viewer) => {
    const form = await readIdsForm(request);
    const raw = (form?.getAll("ids") ?? []).flatMap((value) => (typeof value === "string" ? value.split(",") : [])).filter(Boolean);
    const parsed = idsSchema.safeParse([...new Set(raw)]);
    if (!parsed.success) return jsonError(422, parsed.error.issues[0]?.message ?? "Choose the items to download.");
    const files = await mediaFilesForZip(viewer, parsed.data);
    if (files.length === 0) return jsonError(404, "None of those items has a file to download.");
    const names = uniqueNames(files.map((file) => file.name));
    const entries = files.map((file, index) => ({ name: names[index]!, lastModified: file.createdAt, size: file.bytes ?? undefined, key: file.storageKey }));
    async function* inputs() {
      for (const entry of entries) {
        const object = await storage().get(entry.key);
        if (!object) throw new Error(`zip: ${entry.key} is missing from storage`);
        yield { name: entry.name, lastModified: entry.lastModified, size: entry.size, input: object.stream };
      }
    }
    const day = new Date().toISOString().slice(0, 10);
    const sized = entries.every((entry) => entry.size !== undefined);
    const zip = downloadZip(inputs(), sized ? { length: predictLength(entries.map(({ name, size }) => ({ name, size: size! }))) } : {});
    return new Response(zip.body, {
      headers: {
        ...(sized ? { "Content-Length": zip.headers.get("Content-Length") ?? "" } : {}),
        "Content-Type": "application/zip",
        "Content-Disposition": contentDisposition("attachment", `atelier-${viewer.workspaceSlug}-${day}-${files.length}-items.zip`),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
      },
    });
  });
  return closingUnlessRead(request, response);
}

export const dynamic = "force-dynamic";
