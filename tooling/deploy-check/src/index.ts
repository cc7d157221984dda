export { checkCompose, COMPOSE_FILE, IMAGES } from "./compose-rules";
export { checkDockerfile } from "./dockerfile-rules";
export { parseDockerfile } from "./dockerfile";
export { diskRepo, overlayRepo } from "./repo-view";
