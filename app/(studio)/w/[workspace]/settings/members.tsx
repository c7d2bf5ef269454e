"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { toast } from "@/lib/client/toast";
import type { Role } from "@/lib/generated/prisma/enums";
import { roleDescription, roleLabel } from "@/lib/authz";
import { changeMemberRoleAction, removeMemberAction } from "@/lib/actions/members";
import { leaveWorkspaceAction } from "@/lib/actions/workspaces";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent } from "@/components/ui/lazy-dialog";
import { FormError } from "@/components/ui/field";
import { Select } from "@/components/ui/input";
import { initials } from "@/components/shell/user-menu";
import { SettingsSection } from "./section";
import { plural } from "@/lib/validation/text";

type Member = {
  membershipId: string;
  name: string | null;
  email: string;
  role: Role;
  joinedAt: string;
  isYou: boolean;
  manageable: boolean;
};

export function Members({ workspace, personal, assignable, members }: { workspace: string; personal: boolean; assignable: Role[]; members: Member[] }) {
  const router = useRouter();
  const [pendingId, setPendingId] = useState<string | null>(null);
  const [, start] = useTransition();
  const [confirm, setConfirm] = useState<{ kind: "remove" | "leave"; member: Member } | null>(null);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const lastOwner = members.filter((m) => m.role === "OWNER").length === 1;

  const changeRole = (member: Member, role: Role) => {
    setPendingId(member.membershipId);
    start(async () => {
      const result = await changeMemberRoleAction({ workspace, membershipId: member.membershipId, role });
      setPendingId(null);
      if (!result.ok) return void toast.error(result.error);
      toast.success(`${member.name ?? member.email} is now ${roleLabel[role].toLowerCase()}`);
      router.refresh();
    });
  };

  const confirmRemoval = () =>
    start(async () => {
      if (!confirm) return;
      setDialogError(null);
      const result =
        confirm.kind === "leave"
          ? await leaveWorkspaceAction({ workspace })
          : await removeMemberAction({ workspace, membershipId: confirm.member.membershipId });
      if (!result.ok) return void setDialogError(result.error);
      setConfirm(null);
      if (confirm.kind === "leave") {
        toast.success("You left the workspace");
        router.push("/");
      } else {
        toast.success(`${confirm.member.name ?? confirm.member.email} was removed`);
        router.refresh();
      }
    });

  return (
    <SettingsSection
      id="members"
      title="Members"
      description={`${plural(members.length, "person has", "people have")} access to this workspace.`}
    >
      <ul className="divide-y divide-line" data-testid="member-list">
        {members.map((m) => (
          <li key={m.membershipId} className="flex flex-wrap items-center gap-3 px-5 py-3.5" data-testid="member-row" data-email={m.email}>
            <span className="grid size-9 shrink-0 place-items-center rounded-full bg-surface-2 text-xs font-semibold">{initials(m.name, m.email)}</span>
            <span className="min-w-0 flex-1">
              <span className="flex items-center gap-2 text-sm font-medium">
                <span className="truncate">{m.name ?? m.email}</span>
                {m.isYou ? <Badge tone="accent">You</Badge> : null}
              </span>
              <span className="block truncate text-xs text-muted">{m.email}</span>
            </span>
            {m.manageable ? (
              <Select
                aria-label={`Role of ${m.name ?? m.email}`}
                value={m.role}
                disabled={pendingId === m.membershipId}
                onChange={(e) => changeRole(m, e.target.value as Role)}
                className="h-9 w-32"
                title={roleDescription[m.role]}
              >
                {[...new Set([m.role, ...assignable])].map((r) => (
                  <option key={r} value={r}>
                    {roleLabel[r]}
                  </option>
                ))}
              </Select>
            ) : (
              <span className="w-32 text-sm text-muted" title={roleDescription[m.role]}>
                {roleLabel[m.role]}
              </span>
            )}
            {m.manageable ? (
              <Button size="sm" variant="danger-ghost" onClick={() => setConfirm({ kind: "remove", member: m })}>
                Remove
              </Button>
            ) : m.isYou && !personal && !(lastOwner && m.role === "OWNER") ? (
              <Button size="sm" variant="ghost" onClick={() => setConfirm({ kind: "leave", member: m })}>
                Leave
              </Button>
            ) : (
              <span className="w-[72px]" />
            )}
          </li>
        ))}
      </ul>
      <Dialog open={confirm !== null} onOpenChange={(o) => (o ? null : (setConfirm(null), setDialogError(null)))}>
        <DialogContent
          title={confirm?.kind === "leave" ? "Leave this workspace?" : `Remove ${confirm?.member.name ?? confirm?.member.email}?`}
          description={
            confirm?.kind === "leave"
              ? "You'll lose access to its gallery and settings. Someone will have to invite you again."
              : "They lose access immediately, on every device. What they generated stays in the gallery."
          }
        >
          <div className="space-y-4">
            <FormError message={dialogError} />
            <div className="flex justify-end gap-2">
              <Button variant="ghost" onClick={() => setConfirm(null)}>
                Cancel
              </Button>
              <Button variant="danger" onClick={confirmRemoval}>
                {confirm?.kind === "leave" ? "Leave workspace" : "Remove member"}
              </Button>
            </div>
          </div>
        </DialogContent>
      </Dialog>
    </SettingsSection>
  );
}
