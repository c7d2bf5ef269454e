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

/**
 * Only same-origin paths are followed after sign-in, never an absolute URL (no open redirects). The path becomes a
 * Location header, which may hold only visible ASCII: a path with control characters (CR, LF: header injection) is
 * refused, and spaces and other characters are percent-encoded.
 */
export function safeNextPath(next: unknown): string | null {
  if (typeof next !== "string" || next.length > 2000 || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return null;
  if (/[\u0000-\u001f\u007f]/.test(next)) return null;
  try {
    return next.replace(/[^\x21-\x7e]+/gu, (run) => encodeURIComponent(run));
  } catch {
    return null; // a lone surrogate cannot be encoded
  }
}
