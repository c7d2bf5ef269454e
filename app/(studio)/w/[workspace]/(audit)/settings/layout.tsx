/**
 * The same settings layout (header and tabs) for the audit log. The audit log sits in this route group, outside
 * settings/, only so that settings/loading.tsx's Suspense boundary is not above its permission check
 * (audit/layout.tsx): a notFound() under a boundary streams the 404 page with status 200, while here a member who
 * types the URL gets a real 404, like any other page they may not see.
 */
export { default } from "../../settings/layout";
