import type { Metadata } from "next";
import { requireViewer } from "@/lib/auth/viewer";
import { can } from "@/lib/authz";
import { listConnections } from "@/lib/data/connections";
import { ProviderCard } from "./provider-card";

export const metadata: Metadata = { title: "Providers · Settings" };

export default async function ProvidersPage({ params }: PageProps<"/w/[workspace]/settings/providers">) {
  const viewer = await requireViewer((await params).workspace);
  const { connections, sandboxAvailable } = await listConnections(viewer);
  const canManage = can(viewer.role, "connections:manage");
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div className="space-y-1">
        <h2 className="text-base font-semibold">Provider connections</h2>
        <p className="text-sm text-muted">
          {canManage
            ? "Keys are encrypted on the server and never shown again: only their last four characters. Runs use these accounts and spend their credits."
            : "The accounts this workspace's runs use. Owners and admins manage them."}
        </p>
      </div>
      {connections.map((connection) => (
        <ProviderCard key={connection.provider} workspace={viewer.workspaceSlug} connection={connection} canManage={canManage} sandboxAvailable={sandboxAvailable} />
      ))}
    </div>
  );
}
