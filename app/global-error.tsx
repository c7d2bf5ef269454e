"use client";

import { ErrorView } from "@/components/error-view";
import "./globals.css";

export default function GlobalError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-dvh font-sans">
        <ErrorView {...props} />
      </body>
    </html>
  );
}
