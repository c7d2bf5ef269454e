/**
 * The same settings layout (header and tabs) for the Jobs view. Like the audit log's (../../(audit)/settings), this
 * route group keeps settings/loading.tsx's Suspense boundary from sitting above the permission check (jobs/layout.tsx),
 * so a member who types the URL gets a real 403, not a 403 page streamed with status 200.
 */
export { default } from "../../settings/layout";
