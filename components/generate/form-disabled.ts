"use client";

import { createContext, useContext } from "react";

/**
 * True inside a tool form the viewer may not submit. A disabled <fieldset> already disables native controls; this
 * reaches the ones it can't (sliders, drop and paste targets).
 */
export const FormDisabledContext = createContext(false);

export const useFormDisabled = () => useContext(FormDisabledContext);
