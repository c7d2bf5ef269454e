import { z } from "zod";

export const emailField = z
  .string({ error: "Enter your email address." })
  .trim()
  .toLowerCase()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .pipe(z.email("Enter a valid email address, like you@example.com."));

export const signInSchema = z.object({
  email: emailField,
  password: z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(200, "That password is too long."),
});

export const PASSWORD_MIN = 10;

export const newPasswordField = z
  .string({ error: "Choose a password." })
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`)
  .max(200, "Use at most 200 characters.")
  .refine((p) => p.trim().length === p.length, "The password can't start or end with a space.");

export const signUpSchema = z.object({
  name: z.string({ error: "Enter your name." }).trim().min(1, "Enter your name.").max(80, "Use at most 80 characters."),
  email: emailField,
  password: newPasswordField,
  invite: z.string().trim().max(200).optional(),
});

export type SignInInput = z.infer<typeof signInSchema>;
export type SignUpInput = z.infer<typeof signUpSchema>;

const ORIGIN = "http://atelier.invalid";

/**
 * Where to go after sign-in: only a path on this site, never another origin (no open redirect). The value is parsed
 * the way a browser would resolve it against our origin, after refusing what browsers silently drop or rewrite
 * (tabs, line breaks and other control characters, backslashes), so `/%09/evil.test`, `/\\evil.test` or
 * `//evil.test` cannot become a trip to evil.test. Returns the path, query and fragment, or null; the result is what
 * the URL parser serialises (non-ASCII percent-encoded), so it can always be a Location header (no CR/LF injection).
 */
export function safeNextPath(next: unknown): string | null {
  if (typeof next !== "string" || next.length > 2000 || !next.startsWith("/") || !next.isWellFormed()) return null;
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(next);
  } catch {
    return null;
  }
  if (/[\u0000-\u001f\u007f\\]/.test(decoded) || decoded.startsWith("//")) return null;
  let url: URL;
  try {
    url = new URL(next, ORIGIN);
  } catch {
    return null;
  }
  if (url.origin !== ORIGIN || url.pathname.startsWith("//")) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}
