import type { Metadata } from "next";
import { Clapperboard, Eraser, ImageIcon, Mic, ScanLine, Wand2 } from "lucide-react";
import { PageBody, PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { requireViewer } from "@/lib/auth/viewer";
import { can } from "@/lib/authz";

export const metadata: Metadata = { title: "Generate" };

const tools = [
  { icon: ImageIcon, name: "Image", provider: "RenderNet", text: "Text to image with SDXL and Flux models, styles, LoRAs, ControlNet, face lock and characters." },
  { icon: Eraser, name: "Edit", provider: "RenderNet", text: "Find something in an image and replace it with what you describe." },
  { icon: Wand2, name: "Enhance", provider: "RenderNet", text: "Add detail and upscale up to 3×." },
  { icon: Mic, name: "Narrator", provider: "RenderNet", text: "Make a face in a video speak a script or an audio track." },
  { icon: Clapperboard, name: "Image to video", provider: "RenderNet", text: "Bring a still image to life in a 5 or 10 second clip." },
  { icon: ScanLine, name: "ControlNet", provider: "Qolaba", text: "Keep the edges, depth or pose of a reference image and restyle everything else." },
];

export default async function GeneratePage({ params }: PageProps<"/w/[workspace]/generate">) {
  const viewer = await requireViewer((await params).workspace);
  return (
    <>
      <PageHeader
        title="Generate"
        description={
          can(viewer.role, "generation:create")
            ? "Pick a tool. Every run is saved to the workspace gallery."
            : "You're a viewer here: you can browse and download, but not generate."
        }
      />
      <PageBody>
        <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
          {tools.map(({ icon: Icon, name, provider, text }) => (
            <li key={name} className="flex flex-col gap-4 rounded-2xl border border-line bg-surface p-5 shadow-card">
              <div className="flex items-start justify-between">
                <span className="grid size-11 place-items-center rounded-xl bg-accent-soft text-accent">
                  <Icon className="size-5" />
                </span>
                <Badge>Not yet available</Badge>
              </div>
              <div className="space-y-1">
                <h2 className="font-semibold">{name}</h2>
                <p className="text-sm text-muted">{text}</p>
              </div>
              <p className="mt-auto text-xs text-muted">via {provider}</p>
            </li>
          ))}
        </ul>
      </PageBody>
    </>
  );
}
