/**
 * What the audit log's server side hands to the page, the list API and the browser (plain, serialisable DTOs).
 */

export type AuditEventDTO = {
  id: string;
  /** ISO 8601, UTC. */
  at: string;
  action: string;
  /** The action in words ("Failed sign-in"). */
  label: string;
  actor: {
    id: string | null;
    /** The name the account has now (null once the account is gone). */
    name: string | null;
    /** The email recorded with the event, else the account's current one; for a failed sign-in, what was typed. */
    email: string | null;
    isYou: boolean;
  };
  /** The target and details, in words ("mia@example.com: Member → Admin"). */
  summary: string;
  ipAddress: string | null;
  /** An account event (a sign-in), shown in every workspace of its user. */
  account: boolean;
};

export type AuditPageDTO = {
  events: AuditEventDTO[];
  /** Opaque keyset cursor of the next page; null on the last page. */
  nextCursor: string | null;
};

/** Someone the log can be filtered by: a current member of the workspace. */
export type AuditActorDTO = { id: string; name: string; email: string };
