"use client";

import type { ReactNode } from "react";
import { FolderOpen, Images, Trash2, Upload } from "lucide-react";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/lazy-dropdown-menu";

export type InputSource = "upload" | "assets" | "gallery";

/** "Replace" for a chosen input: upload another file, or pick from uploads or the gallery; optionally remove. */
export function InputSourceMenu({
  trigger,
  gallery,
  onSource,
  onRemove,
}: {
  trigger: ReactNode;
  gallery: boolean;
  onSource: (source: InputSource) => void;
  onRemove?: () => void;
}) {
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>{trigger}</DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="min-w-48">
        <DropdownMenuItem onSelect={() => onSource("upload")}>
          <Upload /> Upload a file…
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => onSource("assets")}>
          <FolderOpen /> From uploads…
        </DropdownMenuItem>
        {gallery ? (
          <DropdownMenuItem onSelect={() => onSource("gallery")}>
            <Images /> From gallery…
          </DropdownMenuItem>
        ) : null}
        {onRemove ? (
          <>
            <DropdownMenuSeparator />
            <DropdownMenuItem onSelect={onRemove} className="text-danger [&_svg]:!text-danger">
              <Trash2 /> Remove
            </DropdownMenuItem>
          </>
        ) : null}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
