export { createAuth, type Auth, type AuthConfig } from "./auth";
export { createPasswordUser, UserExistsError } from "./users";
export { hashPassword, verifyPassword } from "./password";
