/** The sandbox's fixed catalogues: stable ids, names and base models. Thumbnails are rendered on demand. */

export type BaseModel = "sd15" | "sdxl" | "flux";

export interface CatalogItem {
  id: string;
  name: string;
  base_model: BaseModel;
}

export const MODELS: CatalogItem[] = [
  { id: "mdl_juggernaut_xl", name: "JuggernautXL", base_model: "sdxl" },
  { id: "mdl_realvis_xl", name: "RealVisXL", base_model: "sdxl" },
  { id: "mdl_dreamshaper_xl", name: "DreamShaperXL", base_model: "sdxl" },
  { id: "mdl_animagine_xl", name: "AnimagineXL", base_model: "sdxl" },
  { id: "mdl_dreamshaper", name: "DreamShaper", base_model: "sd15" },
  { id: "mdl_realistic_vision", name: "RealisticVision", base_model: "sd15" },
  { id: "mdl_absolute_reality", name: "AbsoluteReality", base_model: "sd15" },
  { id: "mdl_flux", name: "Flux", base_model: "flux" },
];

export const STYLES: CatalogItem[] = [
  { id: "sty_bokeh", name: "Bokeh", base_model: "sdxl" },
  { id: "sty_black_white", name: "Black & White", base_model: "sdxl" },
  { id: "sty_cinematic", name: "Cinematic", base_model: "sdxl" },
  { id: "sty_analog_film", name: "Analog Film", base_model: "sdxl" },
  { id: "sty_anime", name: "Anime", base_model: "sd15" },
  { id: "sty_watercolor", name: "Watercolor", base_model: "sd15" },
  { id: "sty_pixel_art", name: "Pixel Art", base_model: "sd15" },
];

export const FLUX_STYLES: CatalogItem[] = [
  { id: "sty_flux_black_white", name: "Black & White", base_model: "flux" },
  { id: "sty_flux_polaroid", name: "Polaroid", base_model: "flux" },
  { id: "sty_flux_neon_noir", name: "Neon Noir", base_model: "flux" },
  { id: "sty_flux_film_still", name: "Film Still", base_model: "flux" },
];

export const LORAS: CatalogItem[] = [
  { id: "lra_detail_tweaker", name: "Detail Tweaker", base_model: "sd15" },
  { id: "lra_add_more_details", name: "Add More Details", base_model: "sd15" },
  { id: "lra_ghibli_style", name: "Ghibli Style", base_model: "sd15" },
  { id: "lra_pixel_art_xl", name: "Pixel Art XL", base_model: "sdxl" },
  { id: "lra_film_grain_xl", name: "Film Grain XL", base_model: "sdxl" },
  { id: "lra_neon_glow_xl", name: "Neon Glow XL", base_model: "sdxl" },
];

export const CONTROLNETS: CatalogItem[] = [
  { id: "cn_sd15_canny", name: "Canny", base_model: "sd15" },
  { id: "cn_sd15_depth", name: "Depth", base_model: "sd15" },
  { id: "cn_sd15_normal", name: "Normal", base_model: "sd15" },
  { id: "cn_sd15_pose", name: "Pose", base_model: "sd15" },
  { id: "cn_sd15_lineart", name: "Lineart", base_model: "sd15" },
  { id: "cn_sdxl_canny", name: "Canny", base_model: "sdxl" },
  { id: "cn_sdxl_depth", name: "Depth", base_model: "sdxl" },
  { id: "cn_sdxl_normal", name: "Normal", base_model: "sdxl" },
  { id: "cn_sdxl_pose", name: "Pose", base_model: "sdxl" },
];

export const FLUX_CONTROLNETS: CatalogItem[] = [
  { id: "cn_flux_canny", name: "Canny", base_model: "flux" },
  { id: "cn_flux_depth", name: "Depth", base_model: "flux" },
  { id: "cn_flux_pose", name: "Pose", base_model: "flux" },
];

export interface Voice {
  id: string;
  name: string;
  gender: "female" | "male";
  accent: string;
}

export const VOICES: Voice[] = [
  { id: "vce_rachel", name: "Rachel", gender: "female", accent: "american" },
  { id: "vce_adam", name: "Adam", gender: "male", accent: "american" },
  { id: "vce_bella", name: "Bella", gender: "female", accent: "american" },
  { id: "vce_antoni", name: "Antoni", gender: "male", accent: "american" },
  { id: "vce_domi", name: "Domi", gender: "female", accent: "american" },
  { id: "vce_josh", name: "Josh", gender: "male", accent: "american" },
  { id: "vce_charlotte", name: "Charlotte", gender: "female", accent: "british" },
  { id: "vce_daniel", name: "Daniel", gender: "male", accent: "british" },
];

export interface SystemCharacter {
  id: string;
  name: string;
  character_type: "realistic" | "stylized";
  prompt: string;
}

export const SYSTEM_CHARACTERS: SystemCharacter[] = [
  { id: "chr_sys_alex", name: "Alex", character_type: "realistic", prompt: "a man in his thirties with short brown hair" },
  { id: "chr_sys_maya", name: "Maya", character_type: "realistic", prompt: "a woman with curly black hair and freckles" },
  { id: "chr_sys_kenji", name: "Kenji", character_type: "stylized", prompt: "an anime boy with spiky blue hair" },
  { id: "chr_sys_luna", name: "Luna", character_type: "stylized", prompt: "a cartoon girl with a silver bob cut" },
];

/** Every thumbnail the catalogue hands out, by its stable token. */
export function thumbnailToken(id: string): string {
  return `thumb_${id}`;
}

export function allThumbnailIds(): string[] {
  return [
    ...MODELS,
    ...STYLES,
    ...FLUX_STYLES,
    ...LORAS,
    ...CONTROLNETS,
    ...FLUX_CONTROLNETS,
    ...VOICES,
    ...SYSTEM_CHARACTERS,
  ].map((item) => item.id);
}

export function catalogLabel(id: string): string | undefined {
  return [...MODELS, ...STYLES, ...FLUX_STYLES, ...LORAS, ...CONTROLNETS, ...FLUX_CONTROLNETS, ...VOICES, ...SYSTEM_CHARACTERS].find(
    (item) => item.id === id,
  )?.name;
}
