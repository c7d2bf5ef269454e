"use client";

import { useEffect, useRef } from "react";
import { usePathname, useRouter } from "next/navigation";
import { useQueryClient } from "@tanstack/react-query";
import { toast } from "@/lib/client/toast";
import type { GenerationStatusDTO } from "@/lib/generations/types";
import { chargeLabel } from "@/lib/generations-client/charge-label";
import { finishedSince } from "@/lib/generations-client/generation-status";
import { galleryKeys, galleryMediaKeys, generationKeys } from "@/lib/client/query-keys";
import { submittedInThisTab } from "@/lib/generations-client/submitted-runs";
import { useRecentGenerations } from "@/lib/generations-client/use-recent-generations";
import { TOOLS_BY_ID } from "@/components/generate/tools";

const announced = new Set<string>();

/**
 * Mounted once by the studio layout: polls the workspace's recent runs (every 1.5 s while one is in flight, else every
 * 15 s) for every panel that shows them, and toasts when a run finishes or fails while the page is open. Runs that were
 * already final when first seen stay quiet, except ones this tab submitted.
 */
export function GenerationActivity({ slug }: { slug: string }) {
  const { data } = useRecentGenerations(slug, { poll: true });
  const previous = useRef<Map<string, GenerationStatusDTO> | null>(null);
  const router = useRouter();
  const queryClient = useQueryClient();
  const pathname = usePathname();
  const onGeneratePage = pathname.startsWith(`/w/${slug}/generate`);
  const onUsagePage = pathname.startsWith(`/w/${slug}/settings/usage`);

  useEffect(() => {
    if (!data) return;
    const before = previous.current;
    previous.current = new Map(data.map((g) => [g.id, g.status]));
    const changes = finishedSince(before ?? new Map(), data, submittedInThisTab());
    if (changes.length > 0) {
      // A finished run changed the balance, the gallery, and the gallery items the input pickers offer.
      void queryClient.invalidateQueries({ queryKey: generationKeys.estimates(slug) });
      void queryClient.invalidateQueries({ queryKey: galleryMediaKeys.all(slug) });
      void queryClient.invalidateQueries({ queryKey: galleryKeys.all(slug) });
      // The usage page is rendered on the server: read its charges and the provider's latest balance again.
      if (onUsagePage) router.refresh();
    }
    for (const { generation } of changes) {
      if (announced.has(generation.id)) continue;
      announced.add(generation.id);
      const tool = TOOLS_BY_ID[generation.tool];
      const description = generation.prompt ? truncate(generation.prompt, 90) : (generation.modelLabel ?? undefined);
      const view = onGeneratePage ? undefined : { label: "View", onClick: () => router.push(`/w/${slug}/generate/${tool.slug}`) };
      if (generation.status === "SUCCEEDED") {
        const count = generation.media.filter((m) => m.status === "READY").length;
        const title = tool.output === "video" ? "Video ready" : count > 1 ? `${count} images ready` : "Image ready";
        toast.success(title, { description: description ? `${tool.name} · ${description}` : tool.name, action: view });
      } else if (generation.status === "CANCELLED") {
        toast.message(`${tool.name} run cancelled`, { description: chargeLabel(generation).text, action: view });
      } else {
        toast.error(`${tool.name} run ${generation.status === "REFUSED" ? "refused" : "failed"}`, {
          description: generation.errorMessage ?? description,
          action: view,
        });
      }
    }
  }, [data, onGeneratePage, onUsagePage, queryClient, router, slug]);

  return null;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}
