import type { ReactNode } from "react";
import { Logo } from "@/components/logo";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <div className="grid min-h-dvh lg:grid-cols-[minmax(0,1fr)_minmax(0,1.1fr)]">
      <main className="flex flex-col px-6 py-8 sm:px-12">
        <Logo />
        <div className="flex flex-1 items-center justify-center py-10">
          <div className="w-full max-w-sm animate-fade-in">{children}</div>
        </div>
        <p className="text-xs text-muted">Self-hosted. Your keys and your media stay on your server.</p>
      </main>
      <aside aria-hidden="true" className="relative hidden overflow-hidden bg-[#0f0d1a] lg:block">
        <div className="absolute inset-0 bg-[radial-gradient(60%_50%_at_20%_20%,#6d5cff_0%,transparent_60%),radial-gradient(50%_45%_at_85%_30%,#e0609a_0%,transparent_60%),radial-gradient(55%_50%_at_50%_95%,#2bb8a3_0%,transparent_60%)] opacity-80" />
        <div className="absolute inset-0 grid grid-cols-3 gap-3 p-10 opacity-90">
          {[
            "from-violet-400/70 to-fuchsia-500/60 row-span-2",
            "from-amber-300/70 to-rose-500/60",
            "from-sky-400/70 to-indigo-600/60 row-span-2",
            "from-emerald-300/70 to-teal-600/60 row-span-2",
            "from-rose-300/70 to-orange-500/60",
            "from-indigo-300/70 to-purple-700/60",
          ].map((g, i) => (
            <div key={i} className={`rounded-2xl bg-gradient-to-br ${g} shadow-2xl ring-1 ring-white/10 backdrop-blur`} />
          ))}
        </div>
        <div className="absolute inset-x-0 bottom-0 bg-gradient-to-t from-black/70 to-transparent p-10 pt-32 text-white">
          <p className="text-2xl font-semibold tracking-tight">Generate, keep, and share every take.</p>
          <p className="mt-2 max-w-md text-sm text-white/70">
            Images and video from RenderNet and Qolaba in one studio, with the whole history in your team&apos;s gallery.
          </p>
        </div>
      </aside>
    </div>
  );
}
