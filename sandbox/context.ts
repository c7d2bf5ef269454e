import type { MediaFiles } from "./media-files";
import type { AccountStore } from "./store";
import type { FaultRule, Schedule } from "./types";

/**
 * Faults on the keyless URLs (files, presigned uploads): those requests carry no key, like S3 links, so their rules
 * are kept per key that set them but match whoever fetches the path next (handler.ts).
 */
export type PublicFaults = Map<string, FaultRule[]>;

/** What every route gets: the request, where it is mounted, and the sandbox's stores. */
export interface RouteContext {
  request: Request;
  url: URL;
  /** Public origin + basePath, e.g. https://studio.example/sandbox. */
  base: string;
  store: AccountStore;
  files: MediaFiles;
  dataDir: string;
  schedule: Schedule;
  now: () => number;
  /** Dispatches a request to this same sandbox without the network (used for provider-side fetches of own URLs). */
  self: (request: Request) => Promise<Response>;
  /** See SandboxOptions.fetchExternalImages. */
  fetchExternalImages: boolean;
  publicFaults: PublicFaults;
}

/** The authenticated caller of a provider route. */
export interface Caller {
  keyHash: string;
  callId: string;
}
