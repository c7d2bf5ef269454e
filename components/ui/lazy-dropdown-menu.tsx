"use client";

import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ComponentProps } from "react";
import { toast } from "@/lib/client/toast";
import { Slot, type DropdownMenu as Primitive } from "radix-ui";
import type * as Styled from "@/components/ui/dropdown-menu";
import { lazyModule } from "@/lib/client/lazy-module";

/**
 * The app's dropdown menu (components/ui/dropdown-menu.tsx, same parts and props) with Radix's menu code, its
 * positioning, focus handling and dismissal, fetched when a menu is first opened instead of with every page
 * (issue 14: first-load JS; the studio shell's account and workspace menus are on every page).
 *
 * Until then the trigger is a plain button that looks and reads as Radix's closed trigger (`aria-haspopup="menu"`,
 * `aria-expanded="false"`, `data-state="closed"`) and opens the way Radix's does: a primary-button press, or Enter,
 * Space or ↓. Pointing at it or focusing it starts the fetch; pages also prefetch once idle after their load event. On
 * the press the menu swaps to Radix's, opened (`defaultOpen`), and stays Radix's from then on: Radix moves focus into
 * the menu and, on closing, back to its trigger. Menus nobody opens stay plain buttons, so the fetch changes nothing
 * on screen. The one difference: the first time a menu is opened by keyboard, focus goes to the menu rather than its
 * first item (↓ moves there), because Radix's menu did not exist yet to see the key press.
 */
const menuModule = lazyModule(() => import("@/components/ui/dropdown-menu"));

/** Present while a menu is still the plain stand-in: how its trigger asks for the real menu, opened. */
const PendingMenu = createContext<{ open: () => void } | null>(null);

export function DropdownMenu({ children, ...props }: ComponentProps<typeof Primitive.Root>) {
  const ui = useSyncExternalStore(menuModule.subscribe, menuModule.get, () => null);
  // Set by the first press on the trigger (or `open` / `defaultOpen`), and kept: from then on this is Radix's menu.
  const [activated, setActivated] = useState(props.open === true || props.defaultOpen === true);
  if (props.open === true && !activated) setActivated(true);

  useEffect(() => menuModule.prefetchWhenIdle(), []);
  useEffect(() => {
    if (!activated || ui) return;
    menuModule.load().catch(() => {
      toast.error("Couldn't open that menu", { description: "Check your connection and try again." });
      setActivated(false);
    });
  }, [activated, ui]);

  if (ui && activated) {
    return (
      // Opened by what activated it (for an uncontrolled menu; a controlled one follows `open`).
      <PendingMenu.Provider value={null}>
        <ui.DropdownMenu {...props} defaultOpen>
          {children}
        </ui.DropdownMenu>
      </PendingMenu.Provider>
    );
  }
  return <PendingMenu.Provider value={{ open: () => setActivated(true) }}>{children}</PendingMenu.Provider>;
}

export function DropdownMenuTrigger(props: ComponentProps<typeof Primitive.Trigger>) {
  const pending = useContext(PendingMenu);
  const ui = menuModule.get();
  if (!pending && ui) return <ui.DropdownMenuTrigger {...props} />;
  return <StandInTrigger {...props} onOpen={() => pending?.open()} />;
}

function StandInTrigger({ asChild, disabled, onPointerDown, onPointerEnter, onFocus, onKeyDown, onOpen, ...props }: ComponentProps<typeof Primitive.Trigger> & { onOpen: () => void }) {
  const prefetch = () => void menuModule.load().catch(() => {});
  const Component = asChild ? Slot.Root : "button";
  return (
    <Component
      type={asChild ? undefined : "button"}
      aria-haspopup="menu"
      aria-expanded={false}
      data-state="closed"
      data-disabled={disabled ? "" : undefined}
      disabled={disabled}
      {...props}
      onPointerEnter={(event) => {
        onPointerEnter?.(event);
        prefetch();
      }}
      onFocus={(event) => {
        onFocus?.(event);
        prefetch();
      }}
      onPointerDown={(event) => {
        onPointerDown?.(event);
        // As Radix: the primary button only, and not Ctrl+click (a right click on macOS).
        if (disabled || event.defaultPrevented || event.button !== 0 || event.ctrlKey) return;
        event.preventDefault();
        onOpen();
      }}
      onKeyDown={(event) => {
        onKeyDown?.(event);
        if (disabled || event.defaultPrevented || !["Enter", " ", "ArrowDown"].includes(event.key)) return;
        event.preventDefault();
        onOpen();
      }}
    />
  );
}

// The parts below live inside the menu's content, which renders only once the real menu is here and open.

export function DropdownMenuContent(props: ComponentProps<typeof Styled.DropdownMenuContent>) {
  const ui = useLoadedMenu();
  return ui ? <ui.DropdownMenuContent {...props} /> : null;
}

export function DropdownMenuItem(props: ComponentProps<typeof Styled.DropdownMenuItem>) {
  const ui = useLoadedMenu();
  return ui ? <ui.DropdownMenuItem {...props} /> : null;
}

export function DropdownMenuRadioGroup(props: ComponentProps<typeof Styled.DropdownMenuRadioGroup>) {
  const ui = useLoadedMenu();
  return ui ? <ui.DropdownMenuRadioGroup {...props} /> : null;
}

export function DropdownMenuRadioItem(props: ComponentProps<typeof Styled.DropdownMenuRadioItem>) {
  const ui = useLoadedMenu();
  return ui ? <ui.DropdownMenuRadioItem {...props} /> : null;
}

export function DropdownMenuLabel(props: ComponentProps<typeof Styled.DropdownMenuLabel>) {
  const ui = useLoadedMenu();
  return ui ? <ui.DropdownMenuLabel {...props} /> : null;
}

export function DropdownMenuSeparator(props: ComponentProps<typeof Styled.DropdownMenuSeparator>) {
  const ui = useLoadedMenu();
  return ui ? <ui.DropdownMenuSeparator {...props} /> : null;
}

/** The loaded module inside a real menu; null inside a stand-in (where the content is closed and renders nothing). */
function useLoadedMenu() {
  return useContext(PendingMenu) ? null : menuModule.get();
}
