/**
 * The same settings layout (header and tabs) for the audit log. The audit log sits in this route group, outside
 * settings/, only so that settings/loading.tsx's Suspense boundary is not above its permission check
 * (audit/layout.tsx): a notFound() or forbidden() under a boundary streams its page with status 200, while here a
 * member who types the URL gets a real 403 (and a non-member a real 404).
 */
export { default } from "../../settings/layout";
