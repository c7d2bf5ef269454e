"use client";

import { ErrorView } from "@/components/error-view";

export default function JobsError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorView {...props} />;
}
