// Lights and the shading model: Lambert diffuse plus GGX specular (Trowbridge-Reitz distribution, height-correlated
// Smith visibility, Schlick Fresnel), as in Karis 2013 "Real Shading in Unreal Engine 4".
struct Light {
    vec4 positionType;   // xyz position, w: 0 point, 1 spot, 2 directional
    vec4 colorRange;     // rgb intensity (linear), w range (point/spot)
    vec4 directionCos;   // xyz direction the light travels (spot/directional), w cos outer angle
    vec4 params;         // x cos inner angle
};

layout(std430, binding = 0) readonly buffer Lights { Light lights[]; };
uniform int uLightCount;

const float PI = 3.14159265359;

float ggxD(float nh, float a) {
    float a2 = a * a;
    float d = nh * nh * (a2 - 1.0) + 1.0;
    return a2 / (PI * d * d);
}

float smithVisibility(float nv, float nl, float a) {
    float a2 = a * a;
    float gv = nl * sqrt(nv * nv * (1.0 - a2) + a2);
    float gl = nv * sqrt(nl * nl * (1.0 - a2) + a2);
    return 0.5 / max(gv + gl, 1e-5);
}

vec3 shade(vec3 p, vec3 n, vec3 v, vec3 albedo, float roughness, float metallic) {
    float a = max(roughness * roughness, 0.002);
    vec3 f0 = mix(vec3(0.04), albedo, metallic);
    vec3 diffuseColor = albedo * (1.0 - metallic);
    float nv = max(dot(n, v), 1e-4);
    vec3 sum = vec3(0.0);
    for (int i = 0; i < uLightCount; i++) {
        Light li = lights[i];
        int type = int(li.positionType.w + 0.5);
        vec3 l;
        float atten = 1.0;
        if (type == 2) {
            l = -li.directionCos.xyz;
        } else {
            vec3 d = li.positionType.xyz - p;
            float dist2 = max(dot(d, d), 1e-4);
            l = d * inversesqrt(dist2);
            float range = li.colorRange.w;
            float window = clamp(1.0 - pow(dist2 / (range * range), 2.0), 0.0, 1.0);
            atten = window * window / dist2;
            if (type == 1) {
                float cd = dot(-l, li.directionCos.xyz);
                atten *= smoothstep(li.directionCos.w, li.params.x, cd);
            }
        }
        float nl = dot(n, l);
        if (nl <= 0.0 || atten <= 0.0) {
            continue;
        }
        vec3 h = normalize(l + v);
        float nh = max(dot(n, h), 0.0);
        float vh = max(dot(v, h), 0.0);
        vec3 f = f0 + (1.0 - f0) * pow(clamp(1.0 - vh, 0.0, 1.0), 5.0);   // vh can round above 1: pow(<0) is NaN
        vec3 spec = ggxD(nh, a) * smithVisibility(nv, nl, a) * f;
        vec3 diff = diffuseColor / PI * (1.0 - f);
        sum += (diff + spec) * li.colorRange.rgb * (atten * nl);
    }
    return sum;
}
