/** Alerts as Elastic Common Schema (ECS) JSON for SIEMs. */
package io.hoptrace.ecs;
