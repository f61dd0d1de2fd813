// The callbacks every module exports: memory, ABI version, context lifecycle and configuration.
// A plugin exports these plus the groups it implements (see README.md); `sdk/exports` exports them all.
export { malloc } from "../abi/memory";
export {
  proxy_abi_version_0_2_1, proxy_on_context_create, proxy_on_vm_start, proxy_on_configure, proxy_validate_configuration,
  proxy_on_delete,
} from "../abi/exports";
