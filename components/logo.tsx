import { useId } from "react";
import { cn } from "@/lib/cn";

export function LogoMark({ className }: { className?: string }) {
  // Each mark needs its own gradient id: a hidden copy (say, the desktop sidebar on a phone) would break a shared one.
  const gradient = `atelier-mark-${useId().replace(/:/g, "")}`;
  return (
    <svg viewBox="0 0 32 32" className={cn("size-7", className)} aria-hidden="true">
      <defs>
        <linearGradient id={gradient} x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#8b7aff" />
          <stop offset="1" stopColor="#e0609a" />
        </linearGradient>
      </defs>
      <rect width="32" height="32" rx="8" fill={`url(#${gradient})`} />
      <path d="M9 23 15.2 8.5h1.6L23 23h-3.1l-1.4-3.5h-5l-1.4 3.5Zm5.4-6h3.2L16 12.8Z" fill="#fff" />
    </svg>
  );
}

export function Logo({ className }: { className?: string }) {
  return (
    <span className={cn("inline-flex items-center gap-2 font-semibold tracking-tight text-ink", className)}>
      <LogoMark />
      <span className="text-[17px]">Atelier</span>
    </span>
  );
}
