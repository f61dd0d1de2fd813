// The media types of the three image layouts Istio's agent accepts (istio/istio pkg/wasm/imagefetcher.go)
// plus the index types a registry may hand back for a multi-platform tag.

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER_TAR_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';

export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';
export const DOCKER_LAYER_TAR_GZIP = 'application/vnd.docker.image.rootfs.diff.tar.gzip';

// Solo's Wasm artifact (the `--format oci` layout): the raw module plus its runtime config.
export const WASM_CONTENT_LAYER = 'application/vnd.module.wasm.content.layer.v1+wasm';
export const WASM_CONFIG = 'application/vnd.module.wasm.config.v1+json';

/** Everything we can read back, for the manifest GET's Accept header. */
export const ACCEPTED_MANIFEST_TYPES = [OCI_MANIFEST, DOCKER_MANIFEST, OCI_INDEX, DOCKER_MANIFEST_LIST];

/** The file Istio looks for in a tar layer (by base name, first match). */
export const PLUGIN_FILE_NAME = 'plugin.wasm';
