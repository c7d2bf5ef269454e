/**
 * The layers of Atelier, checked by `npm run lint` (dependency-cruiser). docs/architecture.md ("Layers") draws them;
 * this file is the part a tool enforces, so change both together.
 *
 *   app/ ─────────────► lib/actions ─► domain ─► lib/data ─► lib/db (Prisma)
 *   components/ ─► client code ─┘        │           │
 *                                        └─► infrastructure (providers, storage, net, http, crypto, logger, env)
 *   pure modules (validation, result, authz, cn, types) are leaves anyone may import.
 *
 * A `type`-only import erases at compile time and carries no code, so most rules let it through (a DTO type from the
 * data layer in a component, say); the exceptions are said in the rule. Tests, bench/ and scripts/ may import anything:
 * they are not part of the running app and are not cruised.
 */

// Paths are regular expressions on the module's path from the repository root.
// `*-support.ts` files are test fixtures kept beside the code they exercise (imported only by tests and bench/).
const TESTS = ["\\.test\\.tsx?$", "-support\\.ts$", "^test/", "^e2e/", "^bench/", "^scripts/"];
const DB = "^lib/db\\.ts$";
const PRISMA = "^lib/generated/";
const DATA = "^lib/data/";
const DOMAIN = "^lib/(generations|usage|gallery|auth|audit|connections|media|limits|jobs|monitoring)/";
const PROVIDERS = "^lib/providers/";
const CLIENT = ["^lib/client/", "^lib/[^/]+-client/"];
const ACTIONS = "^lib/actions/";
const UI = ["^app/", "^components/"];
const SANDBOX = "^sandbox/";
// Server-only infrastructure other than the providers: files, outbound network, request metadata, secrets, env,
// metrics (lib/metrics) and the stop sequence (lib/shutdown.mjs).
const INFRASTRUCTURE = [
  "^lib/storage/",
  "^lib/net/",
  "^lib/http/",
  "^lib/crypto/",
  "^lib/logger\\.ts$",
  "^lib/env\\.ts$",
  "^lib/metrics/",
  "^lib/shutdown\\.mjs$",
];
// What may reach the sandbox: its mount point in the connections and the app route that serves it.
const SANDBOX_MOUNTS = ["^lib/connections/sandbox\\.ts$", "^app/sandbox/"];
const TYPES_ONLY = ["type-only", "type-import"];
// Pure modules: no I/O, no server or browser state, importable by every layer. The schemas, the result shape, roles,
// class names, `types.ts` files, Prisma's enums, and a few named leaves that live beside the feature they serve (the
// gallery's URL parameters, tool ids, seeds, storage key rules, the address policy). `pure-stays-pure` keeps them so.
const PURE = [
  "^lib/validation/",
  "^lib/result\\.ts$",
  "^lib/authz\\.ts$",
  "^lib/cn\\.ts$",
  "(^|/)types\\.ts$",
  "^lib/generated/prisma/enums\\.ts$",
  "^lib/gallery/view-params\\.ts$",
  "^lib/generations/tool-ids\\.ts$",
  "^lib/generations/seeds\\.ts$",
  "^lib/storage/keys\\.ts$",
  "^lib/net/address-policy\\.ts$",
];

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment:
        "Modules that import each other (directly or round a loop) cannot be understood, tested or loaded on their own. " +
        "A loop made only of type imports is harmless and allowed.",
      severity: "error",
      from: { pathNot: TESTS },
      to: { circular: true, viaOnly: { dependencyTypesNot: TYPES_ONLY } },
    },
    {
      name: "only-data-imports-db",
      comment: "lib/data is the only way into the database: the Prisma client singleton (lib/db.ts) is imported there only.",
      severity: "error",
      from: { pathNot: [DATA, ...TESTS] },
      to: { path: DB },
    },
    {
      name: "only-data-uses-prisma-runtime",
      comment:
        "Prisma's runtime values (the client, Prisma.sql, error classes) are database access: lib/data only. Its types " +
        "and enums are plain values and types anyone may use (lib/generated/prisma/enums, `import type`).",
      severity: "error",
      from: { pathNot: [DATA, DB, PRISMA, ...TESTS] },
      to: { path: PRISMA, pathNot: ["^lib/generated/prisma/enums\\.ts$"], dependencyTypesNot: TYPES_ONLY },
    },
    {
      name: "lib-not-into-app-or-components",
      comment: "Nothing in lib/ imports a route or a component: data flows from lib/ up to the UI, never back.",
      severity: "error",
      from: { path: "^lib/", pathNot: TESTS },
      to: { path: UI },
    },
    {
      name: "data-not-into-domain",
      comment: "The domain calls lib/data, never the reverse (a DTO type from the domain is fine).",
      severity: "error",
      from: { path: DATA, pathNot: TESTS },
      to: { path: [DOMAIN, ACTIONS], pathNot: PURE, dependencyTypesNot: TYPES_ONLY },
    },
    {
      name: "data-not-into-providers",
      comment: "lib/data reads and writes the database; talking to a provider is the domain's job.",
      severity: "error",
      from: { path: DATA, pathNot: TESTS },
      to: { path: PROVIDERS, dependencyTypesNot: TYPES_ONLY },
    },
    {
      name: "providers-know-no-database",
      comment: "A provider client knows its upstream API only: no database, no data layer, no domain.",
      severity: "error",
      from: { path: PROVIDERS, pathNot: TESTS },
      to: { path: [DB, PRISMA, DATA, DOMAIN, ACTIONS], pathNot: PURE, dependencyTypesNot: TYPES_ONLY },
    },
    {
      name: "infrastructure-knows-no-domain",
      comment: "Storage, network, request metadata, crypto, logging and env serve everyone and depend on none of them.",
      severity: "error",
      from: { path: INFRASTRUCTURE, pathNot: TESTS },
      to: { path: [DB, DATA, DOMAIN, ACTIONS, PROVIDERS], pathNot: PURE, dependencyTypesNot: TYPES_ONLY },
    },
    {
      name: "domain-not-into-ui",
      comment: "The domain and the server actions never import routes, components or browser code.",
      severity: "error",
      from: { path: [DOMAIN, ACTIONS, DATA], pathNot: TESTS },
      to: { path: [...UI, ...CLIENT] },
    },
    {
      name: "actions-not-into-providers",
      comment: "Server actions are thin: parse, authorize, call the domain or data. Providers are reached through the domain.",
      severity: "error",
      from: { path: ACTIONS, pathNot: TESTS },
      to: { path: PROVIDERS, dependencyTypesNot: TYPES_ONLY },
    },
    {
      name: "client-not-into-server",
      comment:
        "Browser code (lib/client, lib/<feature>-client) bundles for the browser: it may call server actions, never " +
        "import server modules (data, db, domain services, providers, storage and the rest of the infrastructure).",
      severity: "error",
      from: { path: CLIENT, pathNot: TESTS },
      to: { path: [DB, DATA, DOMAIN, PROVIDERS, ...INFRASTRUCTURE], pathNot: PURE, dependencyTypesNot: TYPES_ONLY },
    },
    {
      name: "components-not-into-server",
      comment:
        "Components import components, client code, pure modules and server actions. Server data reaches them as props " +
        "from a page (a type import of its DTO is fine).",
      severity: "error",
      from: { path: "^components/", pathNot: TESTS },
      to: { path: [DB, DATA, DOMAIN, PROVIDERS, ...INFRASTRUCTURE], pathNot: PURE, dependencyTypesNot: TYPES_ONLY },
    },
    {
      name: "app-not-into-providers",
      comment: "Routes and pages reach a provider through the domain, which owns keys, limits and the audit log.",
      severity: "error",
      from: { path: "^app/", pathNot: [...SANDBOX_MOUNTS, ...TESTS] },
      to: { path: PROVIDERS, dependencyTypesNot: TYPES_ONLY },
    },
    {
      name: "domain-not-into-sandbox",
      comment: "The sandbox is a simulated upstream, mounted in one place (lib/connections/sandbox.ts and its route).",
      severity: "error",
      from: { pathNot: [SANDBOX, ...SANDBOX_MOUNTS, ...TESTS] },
      to: { path: SANDBOX },
    },
    {
      name: "sandbox-not-into-providers",
      comment: "The sandbox simulates the providers' APIs from their documentation, not from our clients of them.",
      severity: "error",
      from: { path: SANDBOX, pathNot: TESTS },
      to: { path: PROVIDERS },
    },
    {
      name: "pure-stays-pure",
      comment:
        "A pure module (see PURE above) imports only other pure modules and packages, so that every layer, the browser " +
        "included, can import it without pulling in the server.",
      severity: "error",
      from: { path: PURE, pathNot: TESTS },
      to: { path: "^(lib|app|components|sandbox)/", pathNot: PURE, dependencyTypesNot: TYPES_ONLY },
    },
    {
      name: "not-to-unresolvable",
      comment: "An import that resolves to nothing is a typo or a missing package.",
      severity: "error",
      from: { pathNot: TESTS },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Cruise our code only; packages and the generated Prisma client are leaves.
    doNotFollow: { path: ["node_modules", PRISMA] },
    exclude: { path: ["^\\.next/", "^node_modules/", "^\\.data/", "^lib/generated/prisma/internal/"] },
    // Keep `import type` visible (as type-only) so the rules above can let it through.
    tsPreCompilationDeps: true,
    // The `@/` alias.
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".mts", ".js", ".mjs", ".cjs", ".d.ts"],
    },
    skipAnalysisNotInRules: true,
    cache: false,
  },
};
