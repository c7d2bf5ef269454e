"use client";

import { useState } from "react";
import Link from "next/link";
import { Ban, Pause, Play } from "lucide-react";
import type { BatchDTO } from "@/lib/data/batches";
import { refusalMessage } from "@/lib/client/action-mutation";
import { useBatch, useBatchControl, type BatchControl } from "@/lib/generations-client/use-batches";
import { plural } from "@/lib/validation/text";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { ContactSheet } from "./contact-sheet";

const STATE_LABEL: Record<BatchDTO["state"], string> = { RUNNING: "Running", PAUSED: "Paused", CANCELLED: "Cancelled", DONE: "Done" };

/** The batch page's live part: progress, the pause reason, the controls, and the contact sheet (re-read every 2 s while it runs). */
export function BatchView({ slug, initial }: { slug: string; initial: BatchDTO }) {
  const { data: batch } = useBatch(slug, initial.id, initial);
  const control = useBatchControl(slug, batch.id);
  const [cap, setCap] = useState("");
  const { tally } = batch;
  const left = batch.total - batch.nextCell;
  const run = (what: BatchControl) => {
    const raised = cap.trim() === "" ? undefined : Number(cap);
    control.mutate({ control: what, ...(what === "resume" && raised !== undefined ? { capCredits: raised } : {}) }, { onSuccess: () => setCap("") });
  };
  const atCap = batch.state === "PAUSED" && batch.pauseReason?.startsWith("Stopped at its cap");

  return (
    <div className="space-y-6">
      <section aria-label="Progress" className="space-y-3 rounded-2xl border border-line bg-surface px-4 py-4 sm:px-5">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <div className="flex items-center gap-2">
            <span data-testid="batch-state">
              <Badge>{STATE_LABEL[batch.state]}</Badge>
            </span>
            {batch.board ? (
              <Link className="text-[13px] text-accent hover:underline" href={`/w/${slug}/gallery?board=${encodeURIComponent(batch.board.id)}`}>
                Board “{batch.board.name}”
              </Link>
            ) : null}
          </div>
          {batch.canControl && (batch.state === "RUNNING" || batch.state === "PAUSED") ? (
            <div className="flex flex-wrap items-center gap-2">
              {batch.state === "RUNNING" ? (
                <Button type="button" variant="secondary" size="sm" onClick={() => run("pause")} loading={control.isPending}>
                  <Pause /> Pause
                </Button>
              ) : (
                <>
                  <Input
                    aria-label="New credit cap (optional)"
                    type="number"
                    min={1}
                    placeholder={atCap ? "New cap" : `Cap ${batch.capCredits}`}
                    value={cap}
                    onChange={(e) => setCap(e.target.value)}
                    className="h-8 w-28"
                  />
                  <Button type="button" variant="secondary" size="sm" onClick={() => run("resume")} loading={control.isPending}>
                    <Play /> Resume
                  </Button>
                </>
              )}
              <Button type="button" variant="danger-ghost" size="sm" onClick={() => run("cancel")} disabled={control.isPending}>
                <Ban /> Cancel batch
              </Button>
            </div>
          ) : null}
        </div>
        {batch.state === "PAUSED" ? (
          <p className="rounded-xl bg-surface-2/70 px-3 py-2 text-[13px]" data-testid="pause-reason">
            {batch.pauseReason ?? "Paused by hand."}
            {atCap ? " Resume with a higher cap to go on, or cancel the rest." : ""}
          </p>
        ) : null}
        {batch.state === "CANCELLED" ? (
          <p className="text-[13px] text-muted">
            Cancelled: {plural(left, "run")} never submitted. Runs already submitted were left to finish.
          </p>
        ) : null}
        <dl className="grid grid-cols-2 gap-3 text-[13px] sm:grid-cols-5" data-testid="batch-tally">
          <Figure label="Done" value={tally.succeeded} />
          <Figure label="Running" value={tally.inFlight} />
          <Figure label={batch.state === "CANCELLED" ? "Not run" : "Left"} value={left} />
          <Figure label="Failed" value={tally.failed + tally.cancelled} />
          <div>
            <dt className="text-muted">Credits</dt>
            <dd className="text-[15px] font-semibold tabular-nums">
              {tally.committed.toLocaleString("en-US")} <span className="font-normal text-muted">of {batch.capCredits.toLocaleString("en-US")}</span>
            </dd>
          </div>
        </dl>
        <div className="h-1.5 overflow-hidden rounded-full bg-surface-2" aria-hidden="true">
          <div className="h-full bg-accent transition-all" style={{ width: `${Math.min(100, (100 * (tally.succeeded + tally.failed + tally.cancelled)) / Math.max(1, batch.total))}%` }} />
        </div>
        <FormError message={control.isError ? refusalMessage(control.error, "Couldn't reach Atelier. Check your connection and try again.") : null} />
      </section>

      <ContactSheet slug={slug} batch={batch} />
    </div>
  );
}

function Figure({ label, value }: { label: string; value: number }) {
  return (
    <div>
      <dt className="text-muted">{label}</dt>
      <dd className="text-[15px] font-semibold tabular-nums">{value.toLocaleString("en-US")}</dd>
    </div>
  );
}
