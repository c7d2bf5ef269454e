"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Check, Copy, Link2 } from "lucide-react";
import { toast } from "@/lib/client/toast";
import type { Role } from "@/lib/generated/prisma/enums";
import { roleLabel } from "@/lib/authz";
import { createInvitationAction, revokeInvitationAction } from "@/lib/actions/invitations";
import { createInvitationSchema, INVITE_EXPIRY_DAYS } from "@/lib/validation/workspaces";
import { useActionForm } from "@/lib/client/use-action-form";
import { useHydrated } from "@/lib/client/use-hydrated";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field, FormError } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { SettingsSection } from "./section";
import { plural } from "@/lib/validation/text";

type Pending = { id: string; role: Role; createdBy: string; expiresAt: string };

/** Relative to the browser's clock, so only once hydrated: the server's "now" would render another text (#418). */
function expiresIn(iso: string) {
  const days = Math.round((new Date(iso).getTime() - Date.now()) / 86_400_000);
  if (days >= 1) return `expires in ${plural(days, "day")}`;
  const hours = Math.max(1, Math.round((new Date(iso).getTime() - Date.now()) / 3_600_000));
  return `expires in ${plural(hours, "hour")}`;
}

export function Invitations({ workspace, assignable, pending }: { workspace: string; assignable: Role[]; pending: Pending[] }) {
  const router = useRouter();
  const [link, setLink] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [, start] = useTransition();
  const hydrated = useHydrated();
  const form = useActionForm({
    schema: createInvitationSchema,
    action: createInvitationAction,
    initialValues: { role: "MEMBER", expiresInDays: "7" },
    extra: { workspace },
    onSuccess: (data) => {
      setLink(`${window.location.origin}/invite/${data.token}`);
      setCopied(false);
      router.refresh();
    },
  });

  const copy = async () => {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
      toast.success("Invite link copied");
    } catch {
      toast.error("Couldn't copy automatically: select the link and copy it.");
    }
  };

  const revoke = (id: string) =>
    start(async () => {
      const result = await revokeInvitationAction({ workspace, invitationId: id });
      if (!result.ok) return void toast.error(result.error);
      toast.success("Invite link revoked");
      router.refresh();
    });

  return (
    <SettingsSection id="invitations" title="Invite people" description="Each link works once and expires. Anyone who opens it while signed in joins with the role you pick.">
      <form onSubmit={form.submit} noValidate className="space-y-4 p-5">
        <FormError message={form.formError} />
        <div className="grid gap-4 sm:grid-cols-[1fr_1fr_auto] sm:items-end">
          <Field id="role" label="Role" error={form.errorFor("role")}>
            <Select {...form.field("role")}>
              {assignable.map((r) => (
                <option key={r} value={r}>
                  {roleLabel[r]}
                </option>
              ))}
            </Select>
          </Field>
          <Field id="expiresInDays" label="Link expires after" error={form.errorFor("expiresInDays")}>
            <Select {...form.field("expiresInDays")}>
              {INVITE_EXPIRY_DAYS.map((d) => (
                <option key={d} value={String(d)}>
                  {plural(d, "day")}
                </option>
              ))}
            </Select>
          </Field>
          <Button type="submit" loading={form.pending}>
            <Link2 /> Create invite link
          </Button>
        </div>
        {link ? (
          <div className="space-y-2 rounded-xl bg-accent-soft/60 p-3.5">
            <p className="text-[13px] font-medium">Share this link. It is shown only once.</p>
            <div className="flex gap-2">
              <Input readOnly value={link} aria-label="Invite link" data-testid="invite-link" onFocus={(e) => e.currentTarget.select()} className="font-mono text-[12px]" />
              <Button variant="secondary" onClick={copy} aria-label="Copy invite link">
                {copied ? <Check /> : <Copy />} {copied ? "Copied" : "Copy"}
              </Button>
            </div>
          </div>
        ) : null}
      </form>
      {pending.length > 0 ? (
        <div className="border-t border-line">
          <h3 className="px-5 pt-4 text-xs font-medium text-muted">Open invite links</h3>
          <ul className="divide-y divide-line">
            {pending.map((p) => (
              <li key={p.id} className="flex items-center gap-3 px-5 py-3 text-sm">
                <Badge tone="accent">{roleLabel[p.role]}</Badge>
                <span className="min-w-0 flex-1 truncate text-muted">
                  by {p.createdBy}
                  {hydrated ? `, ${expiresIn(p.expiresAt)}` : null}
                </span>
                <Button size="sm" variant="danger-ghost" onClick={() => revoke(p.id)}>
                  Revoke
                </Button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </SettingsSection>
  );
}
