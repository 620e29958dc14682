export { createAuth, type Auth, type AuthConfig } from "./auth";
export { createPasswordUser, UserExistsError } from "./users";
export { hashPassword, verifyPassword } from "./password";
export { accountKey, defaultAccountLimit, type AccountLimit } from "./account-limit";
export {
  installClientAddressHook,
  invalidTrustedProxies,
  parseTrustedProxies,
  resolveClientAddress,
  type TrustedProxies,
} from "./client-address";
export { formatBytes, readBodyWithin, withBody, closeConnection } from "./body-limit";
export { authRouteHandler, AUTH_MAX_BODY_BYTES } from "./auth-route";
