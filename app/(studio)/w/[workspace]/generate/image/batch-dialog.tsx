"use client";

import { useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import { Rocket } from "lucide-react";
import { startBatchAction } from "@/lib/actions/batches";
import { refusalMessage, unwrapAction } from "@/lib/client/action-mutation";
import { useDebouncedValue } from "@/lib/client/use-debounced-value";
import { cn } from "@/lib/cn";
import { useBatchPlan } from "@/lib/generations-client/use-batches";
import { PROMPT_CSV_MAX_BYTES, promptsFromCsv } from "@/lib/generations-client/prompt-csv";
import type { CatalogDTO } from "@/lib/generations/types";
import { BATCH_MAX_RUNS, batchPlanSchema, startBatchSchema, type BatchBase } from "@/lib/validation/batches";
import { ASPECT_RATIOS } from "@/lib/validation/generations";
import { plural } from "@/lib/validation/text";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { baseFromEntry, baseModelLabel, sameBase } from "./base-model";

type AspectRatio = (typeof ASPECT_RATIOS)[number];

const MATRIX_FIELDS = new Set(["prompt", "base", "aspectRatio", "seed"]);

/**
 * The batch panel (issue 16): the Image form's current settings as the base, crossed with prompts (one a line),
 * models or styles, aspect ratios and seeds. Before anything runs it shows the number of runs, the credits from the
 * provider's estimate (each priced combination once), the member's budget and the balance; the cap bounds what the
 * batch may spend. Loaded on demand (next/dynamic) when Batch… is first pressed, so the Image page does not carry it.
 */
export function BatchDialog({
  slug,
  open,
  onOpenChange,
  params,
  catalog,
}: {
  slug: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The Image form's parameters as it would send them. */
  params: Record<string, unknown>;
  catalog: CatalogDTO | undefined;
}) {
  const router = useRouter();
  const formBase = (params.base ?? null) as BatchBase | null;
  const [name, setName] = useState("");
  const [promptText, setPromptText] = useState(typeof params.prompt === "string" ? params.prompt : "");
  const [bases, setBases] = useState<BatchBase[]>(formBase ? [formBase] : []);
  const [ratios, setRatios] = useState<AspectRatio[]>([(params.aspectRatio as AspectRatio) ?? "1:1"]);
  const [seedMode, setSeedMode] = useState<"random" | "list">("random");
  const [seedCount, setSeedCount] = useState("1");
  const [seedList, setSeedList] = useState("");
  const [cap, setCap] = useState("");
  const [touched, setTouched] = useState(false);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const [csvNote, setCsvNote] = useState<{ error: boolean; text: string } | null>(null);

  // A CSV's "prompt" column replaces the list (lib/generations-client/prompt-csv.ts).
  const importCsv = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > PROMPT_CSV_MAX_BYTES) {
      setCsvNote({ error: true, text: `“${file.name}” is over 1 MB; a batch takes at most 200 prompts.` });
      return;
    }
    const result = promptsFromCsv(await file.text());
    if (!result.ok) {
      setCsvNote({ error: true, text: `“${file.name}”: ${result.error}` });
      return;
    }
    setPromptText(result.prompts.join("\n"));
    setCsvNote({ error: false, text: `${plural(result.prompts.length, "prompt")} from “${file.name}”.` });
  };

  const prompts = useMemo(() => promptText.split(/\r?\n/).map((line) => line.trim()).filter(Boolean), [promptText]);
  const seeds = useMemo(
    () =>
      seedMode === "random"
        ? { mode: "random" as const, count: Number(seedCount) }
        : { mode: "list" as const, values: seedList.split(/[\s,]+/).filter(Boolean).map(Number) },
    [seedMode, seedCount, seedList],
  );
  // The settings every run shares: the matrix supplies prompt, base, aspect ratio and seed.
  const settingsJson = JSON.stringify(Object.fromEntries(Object.entries(params).filter(([key]) => !MATRIX_FIELDS.has(key))));
  const parsed = useMemo(
    () => batchPlanSchema.safeParse({ settings: JSON.parse(settingsJson) as Record<string, unknown>, prompts, bases, aspectRatios: ratios, seeds }),
    [settingsJson, prompts, bases, ratios, seeds],
  );
  const plan = parsed.success ? parsed.data : null;
  const settled = useDebouncedValue(plan, 300);
  const totals = useBatchPlan(slug, settled);
  const planError = parsed.success ? null : parsed.error.issues[0]!.message;
  const runs = prompts.length * bases.length * ratios.length * (seedMode === "random" ? Number(seedCount) || 0 : seeds.mode === "list" ? seeds.values.length : 0);
  const figures = totals.data;
  const capValue = cap === "" ? (figures?.totalCredits ?? null) : Number(cap);

  const start = async () => {
    setTouched(true);
    setStartError(null);
    const input = startBatchSchema.safeParse({ workspace: slug, name, capCredits: capValue, plan });
    if (!input.success) {
      setStartError(input.error.issues[0]!.message);
      return;
    }
    setStarting(true);
    try {
      const started = await unwrapAction(startBatchAction(input.data));
      onOpenChange(false);
      router.push(`/w/${encodeURIComponent(slug)}/batches/${encodeURIComponent(started.batchId)}`);
    } catch (error) {
      setStartError(refusalMessage(error, "Couldn't reach Atelier. Check your connection and try again."));
    } finally {
      setStarting(false);
    }
  };

  const styles = [...(catalog?.styles ?? []), ...(catalog?.fluxStyles ?? [])];
  const toggleBase = (base: BatchBase) => setBases((list) => (list.some((b) => sameBase(b, base)) ? list.filter((b) => !sameBase(b, base)) : [...list, base]));
  const toggleRatio = (ratio: AspectRatio) => setRatios((list) => (list.includes(ratio) ? list.filter((r) => r !== ratio) : [...list, ratio]));

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent
        title="Batch"
        description="This form's settings, crossed with several prompts, models or styles, aspect ratios and seeds. Priced before anything runs."
        className="max-w-2xl"
      >
        {/* Keys stay in the panel: the Image form it sits in (through React's tree) would take ⌘/Ctrl+Enter as Generate. */}
        <div className="space-y-5" onKeyDown={(event) => event.stopPropagation()}>
          <div className="space-y-1.5">
            <label htmlFor="batch-name" className="text-[13px] font-medium">
              Name
            </label>
            <Input id="batch-name" value={name} maxLength={60} onChange={(e) => setName(e.target.value)} placeholder="Coastline study" invalid={touched && !name.trim()} />
            <p className="text-[12px] text-muted">Its results go to a new board named after it.</p>
          </div>

          <div className="space-y-1.5">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <label htmlFor="batch-prompts" className="text-[13px] font-medium">
                Prompts <span className="font-normal text-muted">· one a line ({plural(prompts.length, "prompt")})</span>
              </label>
              <label className="cursor-pointer text-[12px] font-medium text-accent hover:underline">
                Import CSV…
                <input
                  aria-label="Import prompts from a CSV file with a “prompt” column"
                  type="file"
                  accept=".csv,text/csv"
                  className="sr-only"
                  onChange={(event) => {
                    void importCsv(event.target.files?.[0]);
                    event.target.value = "";
                  }}
                />
              </label>
            </div>
            <textarea
              id="batch-prompts"
              value={promptText}
              onChange={(e) => setPromptText(e.target.value)}
              rows={5}
              className="w-full rounded-xl border border-line bg-surface px-3 py-2 text-[14px] outline-none focus-visible:ring-2 focus-visible:ring-accent"
              placeholder={"A lighthouse at dusk\nA harbour at dawn"}
            />
            {csvNote ? <p className={cn("text-[12px]", csvNote.error ? "text-danger" : "text-muted")}>{csvNote.text}</p> : null}
          </div>

          <fieldset className="space-y-2">
            <legend className="text-[13px] font-medium">Models and styles ({bases.length})</legend>
            {!catalog ? <p className="text-[12px] text-muted">Loading the catalogue…</p> : null}
            <div className="flex max-h-40 flex-wrap gap-1.5 overflow-y-auto">
              {[...(catalog?.models ?? []).map((m) => baseFromEntry("model", m)), ...styles.map((s) => baseFromEntry("style", s))].map((base) => {
                const chosen = bases.some((b) => sameBase(b, base));
                return (
                  <button
                    key={`${base.kind}:${base.name}:${base.baseModel ?? ""}`}
                    type="button"
                    aria-pressed={chosen}
                    onClick={() => toggleBase(base)}
                    className={cn(
                      "rounded-lg border px-2.5 py-1 text-[12px]",
                      chosen ? "border-accent bg-accent-soft text-accent" : "border-line text-muted hover:text-ink",
                    )}
                  >
                    {base.name}
                    <span className="ml-1">
                      {base.kind === "style" ? "style · " : ""}
                      {baseModelLabel(base.baseModel)}
                    </span>
                  </button>
                );
              })}
            </div>
          </fieldset>

          <fieldset className="space-y-2">
            <legend className="text-[13px] font-medium">Aspect ratios ({ratios.length})</legend>
            <div className="flex flex-wrap gap-1.5">
              {ASPECT_RATIOS.map((ratio) => (
                <button
                  key={ratio}
                  type="button"
                  aria-pressed={ratios.includes(ratio)}
                  onClick={() => toggleRatio(ratio)}
                  className={cn(
                    "rounded-lg border px-2.5 py-1 text-[12px] tabular-nums",
                    ratios.includes(ratio) ? "border-accent bg-accent-soft text-accent" : "border-line text-muted hover:text-ink",
                  )}
                >
                  {ratio}
                </button>
              ))}
            </div>
          </fieldset>

          <fieldset className="space-y-2">
            <legend className="text-[13px] font-medium">Seeds</legend>
            <div className="flex flex-wrap items-center gap-3 text-[13px]">
              <label className="flex items-center gap-1.5">
                <input type="radio" name="batch-seeds" checked={seedMode === "random"} onChange={() => setSeedMode("random")} />
                Random:
              </label>
              <Input
                aria-label="How many random seeds"
                type="number"
                min={1}
                max={50}
                value={seedCount}
                onChange={(e) => setSeedCount(e.target.value)}
                disabled={seedMode !== "random"}
                className="w-20"
              />
              <label className="flex items-center gap-1.5">
                <input type="radio" name="batch-seeds" checked={seedMode === "list"} onChange={() => setSeedMode("list")} />
                These:
              </label>
              <Input
                aria-label="Seeds, separated by commas"
                value={seedList}
                onChange={(e) => setSeedList(e.target.value)}
                disabled={seedMode !== "list"}
                placeholder="7, 42, 1234"
                className="min-w-0 flex-1"
              />
            </div>
          </fieldset>

          <section aria-label="Totals" aria-live="polite" className="space-y-2 rounded-xl border border-line bg-surface-2/60 px-4 py-3 text-[13px]">
            <p className="flex flex-wrap items-baseline justify-between gap-2">
              <span>
                <strong className="text-[15px] tabular-nums" data-testid="batch-runs">
                  {plural(runs, "run")}
                </strong>{" "}
                <span className="text-muted">
                  ({prompts.length} × {bases.length} × {ratios.length} × {seedMode === "random" ? Number(seedCount) || 0 : seeds.mode === "list" ? seeds.values.length : 0}
                  ; at most {BATCH_MAX_RUNS.toLocaleString("en-US")})
                </span>
              </span>
              {figures && plan ? (
                <strong className="tabular-nums" data-testid="batch-credits">
                  {plural(figures.totalCredits, "credit")}
                  {figures.unknownRuns ? ` + ${plural(figures.unknownRuns, "run")} without a price` : ""}
                </strong>
              ) : null}
            </p>
            {planError ? <p className="text-danger">{planError}</p> : null}
            {!planError && totals.isFetching ? <p className="text-muted">Pricing…</p> : null}
            {!planError && totals.isError ? <p className="text-danger">{totals.error.message}</p> : null}
            {figures && plan ? (
              <>
                <p className="text-muted">Prompts and seeds don&apos;t change the price: each model or style and aspect ratio was priced once.</p>
                <ul className="space-y-0.5 text-[12px]">
                  {figures.combinations.map((c) => (
                    <li key={c.label} className="flex justify-between gap-3">
                      <span className="truncate">
                        {c.label} <span className="text-muted">× {c.runs}</span>
                      </span>
                      <span className={cn("shrink-0 tabular-nums", c.creditsEach === null && "text-danger")}>
                        {c.creditsEach === null ? (c.problem ?? "price unknown") : `${plural(c.creditsEach, "credit")} each`}
                      </span>
                    </li>
                  ))}
                </ul>
                <p>
                  {figures.budget
                    ? `Your budget: ${figures.budget.remaining.toLocaleString("en-US")} of ${figures.budget.limit.toLocaleString("en-US")} credits left this month.`
                    : "You have no monthly budget in this workspace."}{" "}
                  {figures.balance === null ? "The balance is not known." : `Balance: ${figures.balance.toLocaleString("en-US")} credits.`}
                </p>
                {figures.budget && figures.totalCredits > figures.budget.remaining ? (
                  <p className="text-danger">The whole batch would pass your budget; it will stop when the next run would.</p>
                ) : null}
                {figures.balance !== null && figures.totalCredits > figures.balance ? (
                  <p className="text-danger">The whole batch costs more than the balance; it will stop when the balance runs short.</p>
                ) : null}
              </>
            ) : null}
          </section>

          <div className="space-y-1.5">
            <label htmlFor="batch-cap" className="text-[13px] font-medium">
              Credit cap
            </label>
            <Input
              id="batch-cap"
              type="number"
              min={1}
              value={cap === "" && figures ? String(figures.totalCredits) : cap}
              onChange={(e) => setCap(e.target.value)}
              className="w-40"
            />
            <p className="text-[12px] text-muted">
              The batch pauses by itself before a run would take it past this many credits.
              {figures && capValue !== null && capValue < figures.totalCredits ? ` It will stop before the end (the whole matrix is ${plural(figures.totalCredits, "credit")}).` : ""}
            </p>
          </div>

          <FormError message={startError} />
          <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <Button type="button" variant="ghost" onClick={() => onOpenChange(false)}>
              Close
            </Button>
            <Button type="button" onClick={() => void start()} loading={starting} disabled={!plan || starting}>
              {starting ? null : <Rocket />}
              Start batch
            </Button>
          </div>
        </div>
      </DialogContent>
    </Dialog>
  );
}
