"use client";

import { useState, useTransition, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import { CheckCircle2, FlaskConical, KeyRound, Loader2, PlugZap, XCircle } from "lucide-react";
import { toast } from "@/lib/client/toast";
import { cn } from "@/lib/cn";
import type { ConnectionDTO } from "@/lib/data/connections";
import { removeProviderKeyAction, saveProviderKeyAction, switchToSandboxAction, testConnectionAction } from "@/lib/actions/connections";
import { useActionForm } from "@/lib/client/use-action-form";
import { useHydrated } from "@/lib/client/use-hydrated";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field, FormError } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { QOLABA_BASE_URL_RULE, saveProviderKeySchema } from "@/lib/validation/connections";

const NAMES = { RENDERNET: "RenderNet", QOLABA: "Qolaba" } as const;
const WHAT = {
  RENDERNET: "Image, Edit, Enhance, Narrator and Image to video.",
  QOLABA: "ControlNet (Canny, Depth and Pose).",
} as const;
// The server renders in UTC, saying so; the browser switches to the viewer's own zone once hydrated (LocalTime), so
// the first render in the browser is the server's text, character for character (no hydration error).
const utcDateTime = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const localDateTime = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short" });

function LocalTime({ at }: { at: string }) {
  const hydrated = useHydrated();
  const date = new Date(at);
  return <time dateTime={at}>{hydrated ? localDateTime.format(date) : `${utcDateTime.format(date)} UTC`}</time>;
}

/** One provider: how the workspace is connected, the last check, and (for owners and admins) how to change it. */
export function ProviderCard({
  workspace,
  connection,
  canManage,
  sandboxAvailable,
}: {
  workspace: string;
  connection: ConnectionDTO;
  canManage: boolean;
  sandboxAvailable: boolean;
}) {
  const router = useRouter();
  const name = NAMES[connection.provider];
  const [editing, setEditing] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [testing, startTest] = useTransition();
  const [switching, startSwitch] = useTransition();
  const [check, setCheck] = useState(connection.lastCheck);

  const test = () =>
    startTest(async () => {
      const result = await testConnectionAction({ workspace, provider: connection.provider });
      if (!result.ok) return void toast.error(result.error);
      setCheck({ at: new Date().toISOString(), ok: result.data.ok, message: result.data.message });
      if (result.data.ok) toast.success(`${name}: ${result.data.message}`);
      else toast.error(`${name}: ${result.data.message}`);
      router.refresh();
    });

  const toSandbox = (remove: boolean) =>
    startSwitch(async () => {
      const result = remove
        ? await removeProviderKeyAction({ workspace, provider: connection.provider })
        : await switchToSandboxAction({ workspace, provider: connection.provider });
      if (!result.ok) return void toast.error(result.error);
      setConfirmRemove(false);
      setCheck(null);
      toast.success(remove ? `${name} key removed` : `${name} uses the sandbox`);
      router.refresh();
    });

  return (
    <section aria-labelledby={`${connection.provider}-heading`} className="rounded-2xl border border-line bg-surface shadow-card" data-testid={`provider-${connection.provider}`}>
      <div className="flex flex-wrap items-start justify-between gap-3 border-b border-line/70 px-5 py-4">
        <div className="min-w-0 space-y-1">
          <h3 id={`${connection.provider}-heading`} className="flex items-center gap-2 text-[15px] font-semibold">
            {name}
            <ModeBadge connection={connection} />
          </h3>
          <p className="text-[13px] text-muted">{WHAT[connection.provider]}</p>
        </div>
        {canManage && connection.mode !== "none" ? (
          <Button variant="secondary" size="sm" onClick={test} loading={testing}>
            {testing ? null : <PlugZap />} Test connection
          </Button>
        ) : null}
      </div>

      <div className="space-y-4 px-5 py-4">
        <Status connection={connection} check={check} testing={testing} />
        {canManage ? (
          editing || (connection.mode !== "key" && !sandboxAvailable) ? (
            <KeyForm
              workspace={workspace}
              connection={connection}
              onDone={() => {
                setEditing(false);
                setCheck(null);
                router.refresh();
                // A fresh key is checked at once, so a typo shows now rather than on the first run.
                test();
              }}
              onCancel={connection.mode === "key" || sandboxAvailable ? () => setEditing(false) : undefined}
            />
          ) : (
            <div className="flex flex-wrap gap-2">
              <Button size="sm" onClick={() => setEditing(true)}>
                <KeyRound /> {connection.mode === "key" ? "Replace key" : `Use a ${name} key`}
              </Button>
              {connection.mode === "key" ? (
                <Button size="sm" variant="danger-ghost" onClick={() => setConfirmRemove(true)}>
                  Remove key
                </Button>
              ) : null}
              {connection.mode === "none" && sandboxAvailable ? (
                <Button size="sm" variant="secondary" onClick={() => toSandbox(false)} loading={switching}>
                  <FlaskConical /> Use the sandbox
                </Button>
              ) : null}
            </div>
          )
        ) : null}
      </div>

      <ConfirmDialog
        open={confirmRemove}
        onOpenChange={setConfirmRemove}
        title={`Remove the ${name} key?`}
        description={
          sandboxAvailable
            ? `Runs will use the sandbox (test mode: no real images, no real credits) until a key is added again. Runs already at ${name} keep their results.`
            : `${name} runs will be refused until a key is added again.`
        }
        cancelLabel="Keep it"
        confirmLabel="Remove key"
        pending={switching}
        onConfirm={() => toSandbox(true)}
      />
    </section>
  );
}

function ModeBadge({ connection }: { connection: ConnectionDTO }) {
  if (connection.mode === "key") return <Badge tone="success">Key {connection.last4 ? `····${connection.last4}` : "set"}</Badge>;
  if (connection.mode === "sandbox") return <Badge tone="accent">Sandbox</Badge>;
  return <Badge tone="danger">Not connected</Badge>;
}

function Status({ connection, check, testing }: { connection: ConnectionDTO; check: ConnectionDTO["lastCheck"]; testing: boolean }) {
  const lines: ReactNode[] = [];
  if (connection.mode === "sandbox") lines.push("Test mode: the built-in simulator answers like the real API and makes real files, with play credits.");
  if (connection.mode === "none") lines.push("Runs of these tools are refused until a key is added.");
  if (connection.mode === "key" && connection.provider === "QOLABA") lines.push(`Base URL: ${connection.baseUrl ?? connection.defaultBaseUrl ?? "not set"}`);
  if (connection.updatedAt && connection.updatedBy) {
    lines.push(
      <>
        Changed <LocalTime at={connection.updatedAt} /> by {connection.updatedBy}.
      </>,
    );
  }
  return (
    <div className="space-y-2 text-[13px]">
      {lines.map((line, index) => (
        <p key={index} className="text-muted">
          {line}
        </p>
      ))}
      <div aria-live="polite">
        {testing ? (
          <p className="inline-flex items-center gap-1.5 text-muted">
            <Loader2 className="size-4 animate-spin" aria-hidden="true" /> Checking…
          </p>
        ) : check ? (
          <p className={cn("inline-flex items-start gap-1.5", check.ok ? "text-success" : "text-danger")} data-testid="connection-check">
            {check.ok ? <CheckCircle2 className="mt-0.5 size-4 shrink-0" aria-hidden="true" /> : <XCircle className="mt-0.5 size-4 shrink-0" aria-hidden="true" />}
            <span>
              {check.message}
              <span className="ml-1.5 text-muted">
                (<LocalTime at={check.at} />)
              </span>
            </span>
          </p>
        ) : null}
      </div>
    </div>
  );
}

function KeyForm({
  workspace,
  connection,
  onDone,
  onCancel,
}: {
  workspace: string;
  connection: ConnectionDTO;
  onDone: () => void;
  onCancel?: () => void;
}) {
  const name = NAMES[connection.provider];
  const qolaba = connection.provider === "QOLABA";
  const form = useActionForm<null>({
    schema: saveProviderKeySchema,
    action: saveProviderKeyAction,
    initialValues: qolaba ? { key: "", baseUrl: connection.baseUrl ?? "" } : { key: "" },
    extra: { workspace, provider: connection.provider },
    onSuccess: () => {
      form.reset();
      toast.success(`${name} key saved`);
      onDone();
    },
  });
  return (
    <form onSubmit={form.submit} noValidate className="space-y-4 rounded-xl border border-line bg-canvas/60 p-4" aria-label={`${name} key`}>
      <FormError message={form.formError} />
      <Field id="key" label={qolaba ? "API token" : "API key"} error={form.errorFor("key")} hint="Stored encrypted; after saving, only its last four characters are shown.">
        <Input {...form.field("key")} type="password" autoComplete="off" spellCheck={false} autoFocus placeholder={`Paste your ${name} ${qolaba ? "token" : "key"}`} />
      </Field>
      {qolaba ? (
        <Field id="baseUrl" label="Base URL" error={form.errorFor("baseUrl")} hint={connection.defaultBaseUrl ? `Leave empty for ${connection.defaultBaseUrl}. ${QOLABA_BASE_URL_RULE}` : QOLABA_BASE_URL_RULE}>
          <Input {...form.field("baseUrl")} type="url" inputMode="url" placeholder="https://…" />
        </Field>
      ) : null}
      <div className="flex justify-end gap-2">
        {onCancel ? (
          <Button variant="ghost" size="sm" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
        <Button type="submit" size="sm" loading={form.pending}>
          Save and test
        </Button>
      </div>
    </form>
  );
}
