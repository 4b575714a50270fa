/* What libkube2ecs exports: the functions of include/kube2ecs/ are marked
 * K2E_API; everything else in the library is compiled hidden. */
#ifndef KUBE2ECS_API_H
#define KUBE2ECS_API_H

#if defined(__GNUC__)
#define K2E_API __attribute__((visibility("default")))
#else
#define K2E_API
#endif

#endif
