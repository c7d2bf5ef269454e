import type { ActionResult, ErrorCode } from "@/lib/result";

/**
 * Server actions as react-query mutation functions. An action answers an expected refusal with a value
 * (`{ ok: false, error }`), but a mutation's onError only sees rejections: `unwrapAction` turns the refusal into an
 * ActionRefusal carrying the server's sentence, so every failure (refused, or never answered) takes the same path
 * (roll back, say why) and only successes reach onSuccess.
 */
export class ActionRefusal extends Error {
  constructor(
    message: string,
    public readonly code?: ErrorCode,
  ) {
    super(message);
    this.name = "ActionRefusal";
  }
}

export async function unwrapAction<T>(answer: Promise<ActionResult<T>>): Promise<T> {
  const result = await answer;
  if (!result.ok) throw new ActionRefusal(result.error, result.code);
  return result.data;
}

/** The sentence for a failed mutation: the server's when it refused, else `offline` (the request never got an answer). */
export function refusalMessage(error: unknown, offline: string): string {
  return error instanceof ActionRefusal ? error.message : offline;
}
