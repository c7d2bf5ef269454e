"use client";

import { useState, type ImgHTMLAttributes, type Ref } from "react";
import { cn } from "@/lib/cn";

/**
 * A plain <img> for studio media. Media and asset files are served at authenticated workspace URLs (and catalogue
 * thumbnails by the provider): Next's image optimizer would fetch them server-side without the viewer's session, so
 * they are shown as they are, lazily.
 */
export function MediaImage({ alt, ...props }: ImgHTMLAttributes<HTMLImageElement> & { alt: string; ref?: Ref<HTMLImageElement> }) {
  // eslint-disable-next-line @next/next/no-img-element
  return <img alt={alt} loading="lazy" decoding="async" draggable={false} {...props} />;
}

/** A MediaImage that fades in over a shimmer once its bytes arrive (previews of large inputs). */
export function FadeInImage({ className, alt, ...props }: ImgHTMLAttributes<HTMLImageElement> & { alt: string; src: string }) {
  return <FadeIn key={props.src} className={className} alt={alt} {...props} />;
}

function FadeIn({ className, alt, onLoad, onError, ...props }: ImgHTMLAttributes<HTMLImageElement> & { alt: string }) {
  const [loaded, setLoaded] = useState(false);
  return (
    <>
      {loaded ? null : (
        <span aria-hidden="true" className="absolute inset-0 overflow-hidden">
          <span className="absolute inset-0 -translate-x-full animate-shimmer bg-gradient-to-r from-transparent via-white/40 to-transparent dark:via-white/5" />
        </span>
      )}
      <MediaImage
        alt={alt}
        // An image already in the cache may finish before React listens for `load`.
        ref={(element) => {
          if (element?.complete && element.naturalWidth > 0) setLoaded(true);
        }}
        className={cn("transition-opacity duration-300", loaded ? "opacity-100" : "opacity-0", className)}
        onLoad={(event) => {
          setLoaded(true);
          onLoad?.(event);
        }}
        onError={(event) => {
          setLoaded(true);
          onError?.(event);
        }}
        {...props}
      />
    </>
  );
}
