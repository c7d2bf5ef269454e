/** What emptying the trash (or deleting items from it) does, said the same way everywhere. */
export const PURGE_WARNING =
  "Their files are removed from Atelier's storage, and RenderNet's copy of each run goes once none of its results is left. This cannot be undone.";
