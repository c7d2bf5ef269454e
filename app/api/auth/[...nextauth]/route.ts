import { NextRequest } from "next/server";
import { handlers } from "@/lib/auth/auth";
import { jsonError } from "@/lib/media/http";
import { closingUnlessRead, readBody, RequestBodyError } from "@/lib/media/request-body";

/** Auth.js's POST bodies (sign-in, sign-out, a form_post callback) are small forms; Auth.js reads them unbounded. */
const FORM_MAX_BYTES = 64 * 1024;

export const { GET } = handlers;

// The body is read here first, counted while it arrives and capped, and Auth.js gets the bytes already read.
export async function POST(request: NextRequest) {
  let body: Uint8Array<ArrayBuffer>;
  try {
    body = await readBody(request, FORM_MAX_BYTES, "That request is too large.");
  } catch (error) {
    if (error instanceof RequestBodyError) return closingUnlessRead(request, jsonError(error.status, error.message));
    throw error;
  }
  return handlers.POST(new NextRequest(request.url, { method: "POST", headers: request.headers, body }));
}
