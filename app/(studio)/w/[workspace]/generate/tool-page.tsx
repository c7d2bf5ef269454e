import type { ComponentType } from "react";
import { requireViewer } from "@/lib/auth/viewer";
import { can } from "@/lib/authz";
import type { ToolId } from "@/lib/validation/generations";
import { QueuePanel } from "@/components/generate/queue-panel";
import type { ReuseStatus } from "@/components/generate/reuse-notice";
import { StudioLayout } from "@/components/generate/studio-layout";
import { FocusOnArrival } from "@/components/generate/focus-on-arrival";
import { loadInput, loadReuse } from "./reuse";

/** The field a tool's form needs next once its main input is chosen (Enhance needs nothing more). */
const FILL_NEXT: Partial<Record<ToolId, string>> = { EDIT: "find", IMAGE_TO_VIDEO: "prompt", CONTROLNET: "prompt", NARRATOR: "script" };

/** `newPrompt`: opened by "Same seed, new prompt" (`?reuse=<id>&prompt=new`): every setting but the prompt. */
export type ToolFormProps = { slug: string; canGenerate: boolean; reused: unknown; reuseStatus: ReuseStatus; newPrompt?: boolean };

/**
 * Every tool page: the viewer, the run to reuse (if any), then the tool's form beside the queue. The form is keyed by
 * the reused run so "Reuse settings" on this same page reloads every field.
 */
export async function ToolPage({
  workspace,
  reuse,
  input,
  prompt,
  tool,
  form: Form,
}: {
  workspace: string;
  reuse: string | string[] | undefined;
  input?: string | string[] | undefined;
  prompt?: string | string[] | undefined;
  tool: ToolId;
  form: ComponentType<ToolFormProps>;
}) {
  const viewer = await requireViewer(workspace);
  const fromRun = await loadReuse(viewer, tool, reuse);
  const reused = fromRun.status === "none" ? await loadInput(viewer, tool, input) : fromRun;
  const canGenerate = can(viewer.role, "generation:create");
  const newPrompt = fromRun.status === "loaded" && prompt === "new";
  return (
    <StudioLayout
      panel={
        <>
          <Form
            key={`${reused.id ?? "new"}${newPrompt ? ":new-prompt" : ""}`}
            slug={viewer.workspaceSlug}
            canGenerate={canGenerate}
            reused={reused.params}
            reuseStatus={reused.status}
            newPrompt={newPrompt}
          />
          {/* Opened from a result ("Edit", "Animate"...): the caret waits in what is left to fill. */}
          {canGenerate && reused.id?.startsWith("input:") && FILL_NEXT[tool] ? <FocusOnArrival key={reused.id} id={FILL_NEXT[tool]} /> : null}
        </>
      }
      results={<QueuePanel slug={viewer.workspaceSlug} canGenerate={canGenerate} tool={tool} />}
    />
  );
}
