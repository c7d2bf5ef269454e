/** GET/POST helpers for the studio's route handlers: errors carry a sentence for people, never a raw body. */

export class RequestError extends Error {
  constructor(
    message: string,
    public readonly status: number,
  ) {
    super(message);
    this.name = "RequestError";
  }
}

export function messageForStatus(status: number): string {
  if (status === 401) return "Your session has ended. Sign in again.";
  if (status === 403) return "You don't have access to this in this workspace.";
  if (status === 404) return "Not found in this workspace.";
  if (status === 413) return "That file is too large.";
  if (status === 415) return "That file type isn't supported.";
  if (status === 429) return "Too many requests. Wait a moment and try again.";
  if (status === 0) return "Couldn't reach Atelier. Check your connection.";
  return "The server had a problem. Try again in a moment.";
}

/** The `{ error }` sentence of a JSON error body, when it has one. */
export function errorFromBody(body: unknown): string | null {
  if (body && typeof body === "object" && "error" in body && typeof body.error === "string" && body.error.trim()) return body.error;
  return null;
}

export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { cache: "no-store", ...init, headers: { accept: "application/json", ...init?.headers } });
  } catch {
    throw new RequestError(messageForStatus(0), 0);
  }
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    throw new RequestError(errorFromBody(body) ?? messageForStatus(response.status), response.status);
  }
  return (await response.json()) as T;
}

export const workspaceApi = (slug: string, path: string) => `/api/w/${encodeURIComponent(slug)}/${path}`;
