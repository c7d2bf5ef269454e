"use client";

import { useMemo, useState } from "react";
import Link from "next/link";
import { Check, Columns2, Download, Printer } from "lucide-react";
import type { BatchCellDTO, BatchDTO } from "@/lib/data/batches";
import { toast } from "@/lib/client/toast";
import { DIMENSION_LABEL, defaultAxes, layoutSheet } from "@/lib/generations-client/contact-sheet";
import { renderContactSheet, saveBlob, type SheetSquare } from "@/lib/generations-client/export-contact-sheet";
import { SHEET_DIMENSIONS, type SheetDimension } from "@/lib/validation/batches";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/input";

const IN_FLIGHT = new Set(["PREPARING", "QUEUED", "SUBMITTING", "RECONCILING", "RUNNING", "CANCELLING"]);

/** What a cell without a picture says: why there is none (yet). */
function noteFor(batch: BatchDTO, cell: number, run: BatchCellDTO | undefined): string | null {
  if (!run) {
    if (cell < batch.nextCell) return "Not found";
    return batch.state === "CANCELLED" ? "Cancelled" : batch.state === "DONE" ? "Not run" : "Waiting";
  }
  if (run.media.length > 0) return null;
  if (IN_FLIGHT.has(run.status)) return "Running…";
  if (run.status === "SUCCEEDED") return "No picture kept";
  return run.status === "CANCELLED" ? "Cancelled" : run.status === "REFUSED" ? "Refused" : "Failed";
}

/**
 * The batch's results laid out as its matrix: rows and columns chosen among the plan's dimensions, labels on both
 * axes, each picture a link to its gallery detail. Exports as a PNG (drawn in the browser) or, through the
 * browser's print dialog, as a PDF (the page's print style keeps only the sheet).
 */
export function ContactSheet({ slug, batch }: { slug: string; batch: BatchDTO }) {
  const [axes, setAxes] = useState(() => defaultAxes(batch.plan));
  const [exporting, setExporting] = useState(false);
  // Pictures chosen for Compare (2–4, as the compare page takes).
  const [chosen, setChosen] = useState<string[]>([]);
  const toggle = (mediaId: string) => setChosen((list) => (list.includes(mediaId) ? list.filter((id) => id !== mediaId) : list.length < 4 ? [...list, mediaId] : list));
  const layout = useMemo(() => layoutSheet(batch.plan, batch.total, axes), [batch.plan, batch.total, axes]);
  const runs = useMemo(() => new Map(batch.cells.map((c) => [c.cell, c])), [batch.cells]);
  const squares: SheetSquare[][] = layout.squares.map((row) =>
    row.map((cells) => {
      const thumbs = cells.flatMap((cell) => runs.get(cell)?.media.map((m) => m.thumbUrl) ?? []);
      const notes = cells.map((cell) => noteFor(batch, cell, runs.get(cell))).filter(Boolean);
      return { thumbs, note: thumbs.length === 0 ? (notes[0] ?? null) : null };
    }),
  );

  const exportPng = async () => {
    setExporting(true);
    try {
      const blob = await renderContactSheet(batch.name, layout, squares);
      saveBlob(blob, `${batch.name.replace(/[^\p{L}\p{N} _-]+/gu, "").trim() || "batch"} contact sheet.png`);
    } catch (error) {
      toast.error("Couldn't export the contact sheet", { description: (error as Error).message });
    } finally {
      setExporting(false);
    }
  };

  return (
    <section aria-label="Contact sheet" className="space-y-3" data-contact-sheet>
      <h2 className="hidden text-lg font-semibold print:block">{batch.name}</h2>
      <div className="flex flex-wrap items-end justify-between gap-3 print:hidden">
        <h2 className="text-[15px] font-semibold">Contact sheet</h2>
        <div className="flex flex-wrap items-end gap-2">
          <AxisPicker id="sheet-rows" label="Rows" value={axes.rows} options={SHEET_DIMENSIONS} onChange={(rows) => setAxes((a) => ({ ...a, rows }))} />
          <AxisPicker id="sheet-columns" label="Columns" value={axes.columns} options={SHEET_DIMENSIONS} onChange={(columns) => setAxes((a) => ({ ...a, columns }))} />
          {chosen.length >= 2 ? (
            <Button asChild size="sm">
              <Link href={`/w/${encodeURIComponent(slug)}/gallery/compare?ids=${chosen.join(",")}`}>
                <Columns2 /> Compare {chosen.length}
              </Link>
            </Button>
          ) : (
            <p className="self-center text-[12px] text-muted">Tick 2–4 pictures to compare them.</p>
          )}
          <Button type="button" variant="secondary" size="sm" onClick={() => void exportPng()} loading={exporting}>
            {exporting ? null : <Download />} Export PNG
          </Button>
          <Button type="button" variant="ghost" size="sm" onClick={() => window.print()} title="Print, or save as PDF from the print dialog">
            <Printer /> PDF
          </Button>
        </div>
      </div>
      <div className="overflow-x-auto rounded-2xl border border-line bg-surface print:overflow-visible print:border-0">
        <table className="border-separate border-spacing-2 text-[12px]">
          <thead>
            <tr>
              <th scope="col" className="min-w-28 text-left align-bottom font-medium text-muted">
                {DIMENSION_LABEL[axes.rows]} ↓ · {axes.columns === axes.rows ? "" : `${DIMENSION_LABEL[axes.columns]} →`}
              </th>
              {layout.columns.map((label, c) => (
                <th key={c} scope="col" className="max-w-40 min-w-28 text-left align-bottom font-medium">
                  <span className="line-clamp-2">{label}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {layout.rows.map((label, r) => (
              <tr key={r}>
                <th scope="row" className="max-w-44 min-w-28 text-left align-top font-normal">
                  <span className="line-clamp-4">{label}</span>
                </th>
                {layout.squares[r]!.map((cells, c) => (
                  <td key={c} className="size-28 align-top sm:size-36" data-testid="sheet-cell">
                    <Square
                      slug={slug}
                      cells={cells}
                      runs={runs}
                      note={squares[r]![c]!.note}
                      boardId={batch.board?.id ?? null}
                      label={[label, layout.columns[c]].filter(Boolean).join(" · ")}
                      chosen={chosen}
                      onToggle={toggle}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Square({
  slug,
  cells,
  runs,
  note,
  boardId,
  label,
  chosen,
  onToggle,
}: {
  slug: string;
  cells: number[];
  runs: Map<number, BatchCellDTO>;
  note: string | null;
  boardId: string | null;
  label: string;
  chosen: string[];
  onToggle: (mediaId: string) => void;
}) {
  const media = cells.flatMap((cell) => runs.get(cell)?.media ?? []);
  if (media.length === 0) {
    return <div className="grid size-full place-items-center rounded-lg bg-surface-2 p-1 text-center text-[11px] text-muted">{note}</div>;
  }
  const per = media.length === 1 ? 1 : 2;
  return (
    <div className={`grid size-full gap-0.5 ${per === 1 ? "grid-cols-1" : "grid-cols-2"}`}>
      {media.slice(0, 4).map((m, i) => (
        <div key={m.id} className="relative">
          <Link
            href={`/w/${encodeURIComponent(slug)}/gallery?${new URLSearchParams({ ...(boardId ? { board: boardId } : {}), item: m.id })}`}
            className="block size-full overflow-hidden rounded-md bg-surface-2"
          >
            {/* eslint-disable-next-line @next/next/no-img-element -- authenticated thumbnails from the workspace's media route */}
            <img src={m.thumbUrl} alt={`${label} (${i + 1})`} className="size-full object-contain" loading="lazy" />
          </Link>
          <button
            type="button"
            aria-pressed={chosen.includes(m.id)}
            aria-label={`Compare ${label} (${i + 1})`}
            onClick={() => onToggle(m.id)}
            className={`absolute top-1 left-1 grid size-5 place-items-center rounded-full border print:hidden ${chosen.includes(m.id) ? "border-accent bg-accent text-accent-ink" : "border-white/80 bg-black/30 text-transparent hover:text-white"}`}
          >
            <Check className="size-3" aria-hidden="true" />
          </button>
        </div>
      ))}
    </div>
  );
}

function AxisPicker({ id, label, value, options, onChange }: { id: string; label: string; value: SheetDimension; options: readonly SheetDimension[]; onChange: (value: SheetDimension) => void }) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-[12px] text-muted">
        {label}
      </label>
      <Select id={id} value={value} onChange={(e) => onChange(e.target.value as SheetDimension)} className="h-8 text-[13px]">
        {options.map((d) => (
          <option key={d} value={d}>
            {DIMENSION_LABEL[d]}
          </option>
        ))}
      </Select>
    </div>
  );
}
