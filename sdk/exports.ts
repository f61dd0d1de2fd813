// What a plugin's entry file re-exports so the host can call it: `export * from "../../sdk/exports";`
export * from "./abi/exports";
