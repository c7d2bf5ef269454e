import { verifyFileToken } from "@/lib/media/signed-url";
import { jsonError, streamStored } from "@/lib/media/http";

// A signed, expiring link to one stored file (lib/media/signed-url.ts), for providers that fetch inputs by URL.
// No session: the signature is the permission. Anything else answers 404, like a missing file.
export async function GET(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const grant = verifyFileToken(token);
  if (!grant) return jsonError(404, "Not found");
  return streamStored(request, grant.storageKey, { immutable: false });
}
