import { extensionForType } from "@/lib/storage/keys";

/**
 * Names of downloaded files: the day, a few words of the prompt and a short id, so a folder of downloads sorts by
 * date and says what each file is ("2026-11-22-red-fox-in-the-snow-k3f9a2.png").
 */
export function downloadName(item: { id: string; prompt: string | null; tool: string; createdAt: Date; mimeType: string | null }): string {
  const day = item.createdAt.toISOString().slice(0, 10);
  const words = (item.prompt ?? item.tool.toLowerCase().replace(/_/g, "-"))
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .match(/[a-z0-9]+/g);
  const slug = (words ?? ["atelier"]).slice(0, 8).join("-").slice(0, 60).replace(/-+$/, "");
  let ext = "bin";
  try {
    if (item.mimeType) ext = extensionForType(item.mimeType);
  } catch {
    // a type Atelier does not name: keep .bin
  }
  return `${day}-${slug || "atelier"}-${item.id.slice(-6)}.${ext}`;
}

/** Makes every name of a zip unique ("a.png", "a-2.png" ...). */
export function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    if (count === 1) return name;
    const dot = name.lastIndexOf(".");
    return dot > 0 ? `${name.slice(0, dot)}-${count}${name.slice(dot)}` : `${name}-${count}`;
  });
}
