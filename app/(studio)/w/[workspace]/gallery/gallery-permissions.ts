/**
 * What the viewer may do in the gallery, decided by the page on the server and passed down. A leaf module so the
 * view and the pieces it loads lazily (bulk bar, detail dialog) share the type without importing each other.
 */
export type GalleryPermissions = { organize: boolean; emptyTrash: boolean; generate: boolean; editBoards: boolean };
