"use client";

import { useCallback, useEffect, useMemo, useRef, useSyncExternalStore } from "react";
import { useSearchParams } from "next/navigation";
import {
  AlertTriangle,
  Building2,
  FolderOpen,
  Images,
  Gauge,
  KeyRound,
  Loader2,
  LogIn,
  ScrollText,
  SearchX,
  ShieldAlert,
  Sparkles,
  Trash2,
  Users,
  type LucideIcon,
} from "lucide-react";
import { cn } from "@/lib/cn";
import { groupOf, type AuditGroup } from "@/lib/validation/audit-actions";
import type { AuditActorDTO, AuditEventDTO, AuditPageDTO } from "@/lib/audit/types";
import { useAuditEvents } from "@/lib/audit-client/use-audit-events";
import { activeAuditFilterCount, auditParamsOf, EMPTY_AUDIT_FILTERS, parseAuditParams, type AuditFilters } from "@/lib/validation/audit";
import { initials } from "@/components/shell/user-menu";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { IgnoredLinkParts } from "@/components/ui/filter-controls";
import { Skeleton } from "@/components/ui/skeleton";
import { AuditFilterBar } from "./audit-filters";
import { plural, pluralWord } from "@/lib/validation/text";

/**
 * The audit log in the browser. The URL holds the filters (written with the History API, so a filter never reloads
 * the page); the rows come from react-query, page after page as the end of the table comes into view.
 */
export function AuditLog({
  slug,
  workspaceName,
  initial,
  actors,
  problems,
}: {
  slug: string;
  workspaceName: string;
  initial: { view: string; page: AuditPageDTO };
  actors: AuditActorDTO[];
  problems: string[];
}) {
  const searchParams = useSearchParams();
  const { filters } = useMemo(() => parseAuditParams(searchParams), [searchParams]);
  const view = useMemo(() => auditParamsOf(filters).toString(), [filters]);
  const query = useAuditEvents(slug, view, initial);
  const events = useMemo(() => query.data?.pages.flatMap((page) => page.events) ?? [], [query.data]);
  const filtered = activeAuditFilterCount(filters) > 0;

  const setFilters = useCallback(
    (change: Partial<AuditFilters>) => {
      const next = auditParamsOf({ ...filters, ...change }).toString();
      window.history.pushState(null, "", `${window.location.pathname}${next ? `?${next}` : ""}`);
    },
    [filters],
  );

  return (
    <div className="mx-auto max-w-6xl space-y-4">
      <div className="space-y-1">
        <h2 className="text-base font-semibold">Audit log</h2>
        <p className="text-sm text-muted">
          Sign-ins, changes and refused attempts in {workspaceName}, newest first: runs, the gallery and trash, boards, uploads, provider
          keys, members, invitations and settings. Times are in UTC. Entries can’t be edited or deleted.
        </p>
      </div>
      {view === initial.view ? <IgnoredLinkParts problems={problems} /> : null}
      <AuditFilterBar filters={filters} actors={actors} onChange={setFilters} />
      {query.status === "pending" ? (
        <TableSkeleton />
      ) : query.status === "error" && events.length === 0 ? (
        <EmptyState icon={AlertTriangle} title="The audit log could not be loaded" action={<Button onClick={() => void query.refetch()}>Try again</Button>}>
          {query.error?.message ?? "Something went wrong."}
        </EmptyState>
      ) : events.length === 0 ? (
        filtered ? (
          <EmptyState
            icon={SearchX}
            title="No events match these filters"
            action={
              <Button variant="secondary" onClick={() => setFilters(EMPTY_AUDIT_FILTERS)}>
                Clear filters
              </Button>
            }
          >
            Try another kind of event, another member or a wider range of days.
          </EmptyState>
        ) : (
          <EmptyState icon={ScrollText} title="Nothing recorded yet">
            Sign-ins, changes and refused attempts in this workspace will be listed here.
          </EmptyState>
        )
      ) : (
        <div className={cn("transition-opacity", query.isPlaceholderData && "opacity-60")} aria-busy={query.isPlaceholderData || undefined}>
          <EventTable events={events} />
          <MoreRows
            hasNextPage={query.hasNextPage}
            loading={query.isFetchingNextPage || query.isPlaceholderData}
            failed={query.isFetchNextPageError}
            loadMore={() => void query.fetchNextPage()}
            count={events.length}
            filtered={filtered}
          />
        </div>
      )}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------------------------

const FAILED = { icon: ShieldAlert, tone: "bg-danger-soft text-danger" };

const GROUP_STYLE: Record<AuditGroup, { icon: LucideIcon; tone: string }> = {
  auth: { icon: LogIn, tone: "bg-sky-500/10 text-sky-700 dark:text-sky-300" },
  access: FAILED,
  members: { icon: Users, tone: "bg-violet-500/10 text-violet-700 dark:text-violet-300" },
  connections: { icon: KeyRound, tone: "bg-amber-500/10 text-amber-700 dark:text-amber-300" },
  generations: { icon: Sparkles, tone: "bg-fuchsia-500/10 text-fuchsia-700 dark:text-fuchsia-300" },
  gallery: { icon: Images, tone: "bg-teal-500/10 text-teal-700 dark:text-teal-300" },
  library: { icon: FolderOpen, tone: "bg-indigo-500/10 text-indigo-700 dark:text-indigo-300" },
  deletions: { icon: Trash2, tone: "bg-surface-2 text-muted" },
  workspace: { icon: Building2, tone: "bg-emerald-500/10 text-emerald-700 dark:text-emerald-300" },
  fairUse: { icon: Gauge, tone: "bg-orange-500/10 text-orange-700 dark:text-orange-300" },
};

function styleOf(action: string) {
  if (action === "auth.sign_in_failed") return FAILED;
  const group = groupOf(action);
  return group ? GROUP_STYLE[group] : { icon: ScrollText, tone: "bg-surface-2 text-muted" };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const two = (n: number) => String(n).padStart(2, "0");

/** "21 Nov 2026" and "14:03:12", in UTC, the same on the server and in any browser. */
function utcParts(iso: string): { day: string; time: string } {
  const d = new Date(iso);
  return {
    day: `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`,
    time: `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`,
  };
}

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

function timeAgo(iso: string, now: number): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  if (Math.abs(seconds) < 45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (Math.abs(minutes) < 60) return relative.format(minutes, "minute");
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 24) return relative.format(hours, "hour");
  const days = Math.round(hours / 24);
  if (Math.abs(days) < 45) return relative.format(days, "day");
  const months = Math.round(days / 30.44);
  return Math.abs(months) < 12 ? relative.format(months, "month") : relative.format(Math.round(days / 365.25), "year");
}

// The relative hints need the browser's clock, so the server (and hydration) render without them; then they tick
// every 30 seconds.
const TICK = 30_000;
function subscribeClock(onChange: () => void) {
  const timer = window.setInterval(onChange, TICK);
  return () => window.clearInterval(timer);
}
function useNow(): number | null {
  return useSyncExternalStore(
    subscribeClock,
    () => Math.floor(Date.now() / TICK) * TICK,
    () => null,
  );
}

function EventTable({ events }: { events: AuditEventDTO[] }) {
  const now = useNow();
  return (
    <div className="overflow-hidden rounded-2xl border border-line bg-surface shadow-card">
      <table className="w-full text-left text-sm" data-testid="audit-table">
        <thead className="hidden border-b border-line bg-surface-2/50 text-[12px] font-medium text-muted md:table-header-group">
          <tr>
            <th scope="col" className="w-44 px-4 py-2.5 font-medium">
              When (UTC)
            </th>
            <th scope="col" className="w-60 px-4 py-2.5 font-medium">
              Who
            </th>
            <th scope="col" className="px-4 py-2.5 font-medium">
              What
            </th>
            <th scope="col" className="w-36 px-4 py-2.5 font-medium">
              IP address
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {events.map((event) => (
            <EventRow key={event.id} event={event} now={now} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function EventRow({ event, now }: { event: AuditEventDTO; now: number | null }) {
  const { icon: Icon, tone } = styleOf(event.action);
  const when = utcParts(event.at);
  const who = event.actor.name ?? event.actor.email ?? "Atelier";
  return (
    // Below md each row is a card: what happened first, then who, when and from where.
    <tr className="grid grid-cols-[minmax(0,1fr)_auto] items-baseline gap-x-3 gap-y-2.5 px-4 py-3.5 md:table-row md:p-0" data-testid="audit-row" data-action={event.action}>
      <td className="row-start-3 md:w-44 md:px-4 md:py-3 md:align-top">
        <time dateTime={event.at} title={`${event.at.replace("T", " ").replace(/\.\d+Z$/, "")} UTC`} className="flex flex-wrap items-baseline gap-x-1.5 md:block">
          <span className="text-xs font-medium whitespace-nowrap tabular-nums md:text-[13px]">
            {when.day}, {when.time}
          </span>
          <span className="text-xs text-muted md:block md:min-h-4" suppressHydrationWarning>
            {now === null ? "" : timeAgo(event.at, now)}
          </span>
        </time>
      </td>
      <td className="col-span-2 row-start-2 md:row-auto md:w-60 md:px-4 md:py-3 md:align-top">
        <span className="flex min-w-0 items-center gap-2.5">
          <span className="grid size-8 shrink-0 place-items-center rounded-full bg-surface-2 text-[11px] font-semibold" aria-hidden="true">
            {initials(event.actor.name, event.actor.email ?? "?")}
          </span>
          <span className="min-w-0">
            <span className="flex items-center gap-1.5 text-[13px] font-medium">
              <span className="truncate">{who}</span>
              {event.actor.isYou ? <Badge tone="accent">You</Badge> : null}
            </span>
            {event.actor.email && event.actor.email !== who ? <span className="block truncate text-xs text-muted">{event.actor.email}</span> : null}
          </span>
        </span>
      </td>
      <td className="col-span-2 row-start-1 md:row-auto md:px-4 md:py-3 md:align-top">
        <span className="flex min-w-0 items-start gap-2.5">
          <span className={cn("mt-0.5 grid size-6 shrink-0 place-items-center rounded-lg", tone)} aria-hidden="true">
            <Icon className="size-3.5" />
          </span>
          <span className="min-w-0">
            <span className="block text-[13px] font-semibold">{event.label}</span>
            {event.summary ? <span className="block text-[13px] break-words text-muted">{event.summary}</span> : null}
          </span>
        </span>
      </td>
      <td className="row-start-3 text-right text-xs text-muted md:w-36 md:px-4 md:py-3 md:text-left md:align-top">
        {event.ipAddress ? <span className="font-mono break-all">{event.ipAddress}</span> : <span aria-label="Not recorded">—</span>}
      </td>
    </tr>
  );
}

function MoreRows({
  hasNextPage,
  loading,
  failed,
  loadMore,
  count,
  filtered,
}: {
  hasNextPage: boolean;
  loading: boolean;
  failed: boolean;
  loadMore: () => void;
  count: number;
  filtered: boolean;
}) {
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = sentinel.current;
    if (!element || !hasNextPage || failed) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting) && !loading) loadMore();
      },
      { rootMargin: "400px 0px" },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [hasNextPage, loading, failed, loadMore]);

  return (
    <div ref={sentinel} className="flex min-h-16 items-center justify-center py-3 text-[13px] text-muted">
      {loading ? (
        <span className="inline-flex items-center gap-2">
          <Loader2 className="size-4 animate-spin" aria-hidden="true" /> Loading…
        </span>
      ) : failed ? (
        <span className="inline-flex items-center gap-2 text-danger">
          Older events could not be loaded.
          <Button variant="ghost" size="sm" onClick={loadMore}>
            Try again
          </Button>
        </span>
      ) : hasNextPage ? (
        <Button variant="ghost" size="sm" onClick={loadMore}>
          Load more
        </Button>
      ) : (
        <span>
          {plural(count, "event")}
          {filtered ? ` ${pluralWord(count, "matches", "match")} these filters` : ""}. That’s everything.
        </span>
      )}
    </div>
  );
}

function TableSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading the audit log" className="space-y-px overflow-hidden rounded-2xl border border-line">
      {Array.from({ length: 8 }, (_, i) => (
        <Skeleton key={i} className="h-14 rounded-none" />
      ))}
    </div>
  );
}
